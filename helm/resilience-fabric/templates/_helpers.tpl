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
{{- $v := $root.Values }}
{{- if has .name (include "rf.policyServices" . | splitList " ") }}
{{- $_ := set $env "RF_POLICY_MODE" ($v.policy.mode | toString) }}
{{- $_ := set $env "RF_POLICY_POLL_MS" ($v.policy.pollMs | toString) }}
{{- $_ := set $env "RF_POLICY_BUNDLE" (printf "%s/bundle.tar.gz" $v.policy.bundle.mountPath) }}
{{- end }}
{{- if eq .name "gateway" }}
{{- with $v.oidc.issuer }}
{{- $_ := set $env "RF_OIDC_ISSUER" (toString .) }}
{{- $_ := set $env "RF_OIDC_AUDIENCE" (required "oidc.audience is required with oidc.issuer" $v.oidc.audience | toString) }}
{{- $_ := set $env "RF_OIDC_JWKS_URI" (required "oidc.jwksUri is required with oidc.issuer" $v.oidc.jwksUri | toString) }}
{{- end }}
{{- with $v.oidc.algorithms }}
{{- $_ := set $env "RF_OIDC_ALGORITHMS" (toString .) }}
{{- end }}
{{- $_ := set $env "RF_OIDC_CLOCK_TOLERANCE_S" ($v.oidc.clockToleranceSeconds | toString) }}
{{- end }}
{{- if eq .name "ledger" }}
{{- with $v.ledger.origin }}
{{- $_ := set $env "RF_LEDGER_ORIGIN" (toString .) }}
{{- end }}
{{- with $v.ledger.witnessKeys }}
{{- $_ := set $env "RF_LEDGER_WITNESS_KEYS" (toString .) }}
{{- end }}
{{- /* Evidence packs read remediation workflow histories. */}}
{{- $_ := set $env "RF_LEDGER_TEMPORAL_ADDRESS" ($infra.temporal.address | toString) }}
{{- $_ := set $env "RF_LEDGER_TEMPORAL_NAMESPACE" ($infra.temporal.namespace | toString) }}
{{- /* Evidence packs read SBOM documents and drift reports from the drift service, as the caller. */}}
{{- $drift := $root.Values.services.drift }}
{{- if or (not (hasKey $drift "enabled")) $drift.enabled }}
{{- $_ := set $env "RF_LEDGER_DRIFT_URL" (printf "http://%s.%s.svc:%v" (include "rf.componentName" (dict "root" $root "name" "drift")) $root.Release.Namespace $drift.port) }}
{{- else }}
{{- $_ := set $env "RF_LEDGER_DRIFT_URL" "" }}
{{- end }}
{{- end }}
{{- if eq .name "drift" }}
{{- $_ := set $env "RF_IMAGES_SIGNATURE_MODE" ($v.images.signatureMode | toString) }}
{{- if $v.images.trust.trustedKeys }}
{{- $_ := set $env "RF_IMAGES_TRUSTED_KEYS_FILE" (printf "%s/trusted-keys.json" $v.images.trust.mountPath) }}
{{- end }}
{{- if $v.images.trust.sigstoreTrustedRoot }}
{{- $_ := set $env "RF_IMAGES_SIGSTORE_TRUSTED_ROOT" (printf "%s/trusted_root.json" $v.images.trust.mountPath) }}
{{- end }}
{{- with $v.images.certificateIdentity }}
{{- $_ := set $env "RF_IMAGES_CERT_IDENTITY" (toString .) }}
{{- end }}
{{- with $v.images.certificateIssuer }}
{{- $_ := set $env "RF_IMAGES_CERT_ISSUER" (toString .) }}
{{- end }}
{{- end }}
{{- range $key, $value := .svc.config }}
{{- $_ := set $env $key (toString $value) }}
{{- end }}
{{- toYaml $env }}
{{- end }}

{{/*
Services whose policy gate loads the wasm bundle (space-separated).
*/}}
{{- define "rf.policyServices" -}}
gateway inventory drift compliance ledger remediation
{{- end }}

{{/*
Env entries read from settings.existingConfigMap and secrets.existingSecret. Outside production the
references are optional, so a development cluster runs on the services' development defaults.
Call with (dict "root" $ "name" "drift").
*/}}
{{- define "rf.referencedEnv" -}}
{{- $v := .root.Values }}
{{- $cm := required "settings.existingConfigMap is required" $v.settings.existingConfigMap }}
{{- $secret := required "secrets.existingSecret is required" $v.secrets.existingSecret }}
{{- $optional := ne ($v.environment | toString) "production" }}
{{- $refs := list }}
{{- if has .name (include "rf.policyServices" . | splitList " ") }}
{{- $refs = append $refs (list "RF_POLICY_PUBLIC_KEY" "configMapKeyRef" $cm "policy-public-key.pem" $optional) }}
{{- end }}
{{- if has .name (list "gateway" "inventory" "drift" "compliance" "ledger" "remediation") }}
{{- $refs = append $refs (list "RF_GATEWAY_PRINCIPAL_PUBLIC_KEY" "configMapKeyRef" $cm "gateway-principal-public-key.pem" $optional) }}
{{- end }}
{{- if eq .name "gateway" }}
{{- $refs = append $refs (list "RF_GATEWAY_PRINCIPAL_SIGNING_KEY" "secretKeyRef" $secret "gateway-principal-signing-key.pem" $optional) }}
{{- if not $v.oidc.issuer }}
{{- $refs = append $refs (list "RF_OIDC_ISSUER" "configMapKeyRef" $cm "oidc-issuer" $optional) }}
{{- $refs = append $refs (list "RF_OIDC_AUDIENCE" "configMapKeyRef" $cm "oidc-audience" $optional) }}
{{- $refs = append $refs (list "RF_OIDC_JWKS_URI" "configMapKeyRef" $cm "oidc-jwks-uri" $optional) }}
{{- end }}
{{- end }}
{{- if eq .name "remediation" }}
{{- $refs = append $refs (list "RF_REMEDIATION_VSPHERE_PASSWORD" "secretKeyRef" $secret "remediation-vsphere-password" true) }}
{{- end }}
{{- if eq .name "ledger" }}
{{- $refs = append $refs (list "RF_LEDGER_SIGNING_KEY" "secretKeyRef" $secret "ledger-signing-key" $optional) }}
{{- if not $v.ledger.origin }}
{{- $refs = append $refs (list "RF_LEDGER_ORIGIN" "configMapKeyRef" $cm "ledger-origin" $optional) }}
{{- end }}
{{- if not $v.ledger.witnessKeys }}
{{- $refs = append $refs (list "RF_LEDGER_WITNESS_KEYS" "configMapKeyRef" $cm "ledger-witness-keys" true) }}
{{- end }}
{{- end }}
{{- range $refs }}
- name: {{ index . 0 }}
  valueFrom:
    {{ index . 1 }}:
      name: {{ index . 2 | quote }}
      key: {{ index . 3 | quote }}
      optional: {{ index . 4 }}
{{- end }}
{{- end }}

{{/*
Volumes of one service (and their mounts): scratch /tmp, the policy bundle, the image trust anchors.
Call with (dict "root" $ "name" "drift" "mounts" true|false).
*/}}
{{- define "rf.volumes" -}}
{{- $v := .root.Values }}
{{- $optional := ne ($v.environment | toString) "production" }}
{{- if .mounts }}
# The root filesystem is read-only; Node and the libraries it loads may still need a scratch dir.
- name: tmp
  mountPath: /tmp
{{- if has .name (include "rf.policyServices" . | splitList " ") }}
# The whole directory, never a subPath: kubelet then swaps in a new bundle and the gate hot-loads it.
- name: policy-bundle
  mountPath: {{ $v.policy.bundle.mountPath }}
  readOnly: true
{{- end }}
{{- if eq .name "drift" }}
- name: image-trust
  mountPath: {{ $v.images.trust.mountPath }}
  readOnly: true
{{- end }}
{{- if and (eq .name "remediation") $v.remediationCloud.azureClientSecret.existingSecret }}
- name: azure-client-secret
  mountPath: {{ $v.remediationCloud.azureClientSecret.mountPath }}
  readOnly: true
{{- end }}
{{- else }}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if has .name (include "rf.policyServices" . | splitList " ") }}
- name: policy-bundle
  configMap:
    name: {{ required "policy.bundle.existingConfigMap is required" $v.policy.bundle.existingConfigMap | quote }}
    optional: {{ $optional }}
{{- end }}
{{- if eq .name "drift" }}
- name: image-trust
  configMap:
    name: {{ required "images.trust.existingConfigMap is required" $v.images.trust.existingConfigMap | quote }}
    optional: {{ $optional }}
{{- end }}
{{- if and (eq .name "remediation") $v.remediationCloud.azureClientSecret.existingSecret }}
- name: azure-client-secret
  secret:
    secretName: {{ $v.remediationCloud.azureClientSecret.existingSecret | quote }}
{{- end }}
{{- end }}
{{- end }}
