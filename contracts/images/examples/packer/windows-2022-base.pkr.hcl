# Stub of a Packer build for the Windows golden image (contracts/images/image.contract.windows.yaml).
# It shows where each contract requirement is met and how the build reaches the registry; the
# provisioner scripts are the image team's.

packer {
  required_plugins {
    amazon = { source = "github.com/hashicorp/amazon", version = ">= 1.3.0" }
  }
}

variable "version" { type = string }
variable "wsus_server" { type = string } # spec.windows.updates.wsusServer

source "amazon-ebs" "windows_2022" {
  region         = "eu-west-1"
  instance_type  = "m6i.large"
  ami_name       = "windows-2022-base-${var.version}"
  communicator   = "winrm"
  winrm_username = "Administrator"
  source_ami_filter {
    filters     = { name = "Windows_Server-2022-English-Full-Base-*" }
    owners      = ["amazon"]
    most_recent = true
  }
  ami_regions = ["us-east-1"]
}

build {
  sources = ["source.amazon-ebs.windows_2022"]

  # spec.windows.updates: point Windows Update at WSUS, install the latest cumulative update.
  provisioner "powershell" {
    environment_vars = ["WSUS_SERVER=${var.wsus_server}", "WSUS_TARGET_GROUP=golden-images"]
    scripts          = ["scripts/configure-wsus.ps1", "scripts/install-updates.ps1"]
  }
  provisioner "windows-restart" {}

  # spec.windows.defender, laps, credentialGuard, then spec.hardening (CIS level 2).
  provisioner "powershell" {
    scripts = [
      "scripts/defender.ps1",          # real-time and tamper protection on, cloud protection
      "scripts/laps.ps1",              # Windows LAPS, Entra ID escrow, 30-day rotation
      "scripts/credential-guard.ps1",  # VBS + Credential Guard with UEFI lock
      "scripts/cis-level2.ps1",
    ]
  }

  # spec.hardening.minimumScore and spec.sbom: benchmark score and SPDX 2.3 SBOM for the manifest.
  provisioner "powershell" {
    scripts = ["scripts/cis-score.ps1", "scripts/sbom-tool.ps1"]
  }

  # Writes the image manifest (AMI ids per region, SBOM digest, CIS result), signs it with cosign
  # (spec.signing) and publishes it: POST /api/v1/images {manifest, sbom, signatureBundle}.
  post-processor "manifest" { output = "packer-manifest.json" }
  post-processor "shell-local" {
    inline = [
      "scripts/image-manifest.sh packer-manifest.json sbom.spdx.json > image-manifest.json",
      "cosign sign-blob --key awskms:///alias/rf-images --bundle image-manifest.bundle.json image-manifest.json",
      "scripts/publish-image.sh image-manifest.json sbom.spdx.json image-manifest.bundle.json",
    ]
  }
}
