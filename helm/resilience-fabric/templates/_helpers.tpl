{{/*
Chart name, overridable.
*/}}
{{- define "rf.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Release-scoped base name. A release named after the chart is not repeated.
*/}}
{{- define "rf.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "rf.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name of one service's objects. Call with (dict "root" $ "name" "drift").
*/}}
{{- define "rf.componentName" -}}
{{- printf "%s-%s" (include "rf.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels shared by every object of the release.
*/}}
{{- define "rf.labels" -}}
helm.sh/chart: {{ include "rf.chart" . }}
app.kubernetes.io/name: {{ include "rf.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: resilience-fabric
{{- end }}

{{/*
Selector labels of one service. Call with (dict "root" $ "name" "drift").
*/}}
{{- define "rf.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rf.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/*
All labels of one service's objects. Call with (dict "root" $ "name" "drift").
*/}}
{{- define "rf.componentLabels" -}}
{{ include "rf.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "rf.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rf.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Effective settings of one service: `defaults` overlaid with services.<name>.
Call with (dict "root" $ "name" "drift"); returns YAML, read it back with fromYaml.
*/}}
{{- define "rf.service" -}}
{{- $cfg := index .root.Values.services .name | default dict }}
{{- $merged := mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $cfg) }}
{{- if not (hasKey $merged "enabled") }}
{{- $_ := set $merged "enabled" true }}
{{- end }}
{{- toYaml $merged }}
{{- end }}

{{/*
Image reference of one service. Call with (dict "root" $ "name" "drift" "svc" $svc).
services.<name>.image.repository (a full repository) and .tag override the shared scheme.
*/}}
{{- define "rf.image" -}}
{{- $img := .root.Values.image }}
{{- $own := .svc.image | default dict }}
{{- $tag := $own.tag | default $img.tag | default .root.Chart.AppVersion }}
{{- $repo := $own.repository | default (printf "%s/%s/%s" $img.registry $img.repository .name | trimPrefix "/") }}
{{- printf "%s:%s" $repo $tag }}
{{- end }}

{{/*
Non-secret environment of one service (the ConfigMap data). services.<name>.config
entries are added last and win over the generated ones.
Call with (dict "root" $ "name" "drift" "svc" $svc).
*/}}
{{- define "rf.configData" -}}
{{- $root := .root }}
{{- $infra := $root.Values.infrastructure }}
{{- $env := dict
  "RF_ENV" ($root.Values.environment | toString)
  "RF_HTTP_HOST" "0.0.0.0"
  "RF_HTTP_PORT" (.svc.port | toString)
  "RF_LOG_LEVEL" ($root.Values.logLevel | toString)
  "RF_KAFKA_BROKERS" (required "infrastructure.kafka.brokers is required" $infra.kafka.brokers | toString)
  "RF_REGISTRY_URL" (required "infrastructure.schemaRegistry.url is required" $infra.schemaRegistry.url | toString)
}}
{{- if .svc.temporal }}
{{- $_ := set $env "RF_TEMPORAL_ADDRESS" (required "infrastructure.temporal.address is required" $infra.temporal.address | toString) }}
{{- $_ := set $env "RF_TEMPORAL_NAMESPACE" (required "infrastructure.temporal.namespace is required" $infra.temporal.namespace | toString) }}
{{- end }}
{{- with $infra.otel.endpoint }}
{{- $_ := set $env "RF_OTEL_EXPORTER_OTLP_ENDPOINT" (toString .) }}
{{- end }}
{{- if eq .name "gateway" }}
{{- range $other, $otherCfg := $root.Values.services }}
{{- if and (ne $other "gateway") (or (not (hasKey $otherCfg "enabled")) $otherCfg.enabled) }}
{{- $url := printf "http://%s.%s.svc:%v" (include "rf.componentName" (dict "root" $root "name" $other)) $root.Release.Namespace $otherCfg.port }}
{{- $_ := set $env (printf "RF_UPSTREAM_%s_URL" (upper $other)) $url }}
{{- end }}
{{- end }}
{{- end }}
{{- range $key, $value := .svc.config }}
{{- $_ := set $env $key (toString $value) }}
{{- end }}
{{- toYaml $env }}
{{- end }}
