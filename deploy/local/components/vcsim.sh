#!/usr/bin/env bash
# vcsim (govmomi's vCenter simulator): the vSphere Web Services SOAP API and
# the vAPI REST endpoints (sessions, Content Library) for the vSphere
# connector's tests. Built once with `go install`, like go-tool.sh; plain HTTP
# on loopback, in-memory inventory (the default VPX model).

vcsim_port() { echo "$RF_VCSIM_PORT"; }
vcsim_match() { echo "$RF_VCSIM_BIN"; }

vcsim_start() {
  rf_require_free_port "$RF_VCSIM_PORT" RF_VCSIM_PORT
  rf_go_install "$RF_VCSIM_BIN" "github.com/vmware/govmomi/vcsim@v$RF_VCSIM_VERSION"
  rf_spawn vcsim "$RF_VCSIM_BIN" -l "$RF_HOST:$RF_VCSIM_PORT" -tls=false \
    -username "$RF_VCSIM_USERNAME" -password "$RF_VCSIM_PASSWORD"
}

# A SOAP RetrieveServiceContent, the first call of every vSphere client.
vcsim_healthy() {
  curl -fsS -m 5 -o /dev/null -H 'Content-Type: text/xml' -H 'SOAPAction: urn:vim25/8.0.0.0' \
    --data '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent></soapenv:Body></soapenv:Envelope>' \
    "$RF_VCSIM_URL/sdk" 2>/dev/null
}
