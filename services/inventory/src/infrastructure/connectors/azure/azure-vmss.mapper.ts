import type {
  GalleryImageVersion,
  VirtualMachineScaleSet,
  VirtualMachineScaleSetVM,
} from '@azure/arm-compute';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';

/** `/subscriptions/s/resourceGroups/rg/providers/...` → `rg`. */
export function resourceGroupOf(id: string | undefined): string | undefined {
  return id === undefined ? undefined : /\/resourceGroups\/([^/]+)\//i.exec(id)?.[1];
}

/** Gallery image version ids compare case-insensitively (ARM ids are not case-sensitive). */
export function imageKey(id: string): string {
  return id.toLowerCase();
}

/** Tags that tell a gallery image version's lineage: the image definition's, then the version's own. */
export function galleryVersionTags(
  imageTags: Readonly<Record<string, string>> | undefined,
  version: GalleryImageVersion,
): Record<string, string> {
  return { ...imageTags, ...version.tags };
}

/**
 * The image a VMSS instance runs: a gallery image version id, or an image definition id completed
 * with the version the platform resolved (`exactVersion`) when the model asks for "latest".
 */
export function imageRefOf(vm: VirtualMachineScaleSetVM): string | null {
  const reference = vm.storageProfile?.imageReference;
  if (reference === undefined) return null;
  const id = reference.id ?? reference.sharedGalleryImageId ?? reference.communityGalleryImageId;
  if (id !== undefined) {
    if (!/\/versions\/[^/]+$/i.test(id) && reference.exactVersion)
      return `${id}/versions/${reference.exactVersion}`;
    return id;
  }
  if (reference.publisher && reference.offer && reference.sku) {
    return `${reference.publisher}:${reference.offer}:${reference.sku}:${reference.exactVersion ?? reference.version ?? 'latest'}`;
  }
  return null;
}

function powerStateOf(vm: VirtualMachineScaleSetVM): string {
  const code = vm.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code;
  // A VM being deleted has no power state yet; its provisioning state says so.
  if (code === undefined && vm.provisioningState?.toLowerCase() === 'deleting') return 'deleting';
  return code ?? vm.provisioningState ?? '';
}

export function vmssVmRecord(
  vm: VirtualMachineScaleSetVM,
  context: {
    readonly subscription: string;
    readonly scaleSet: VirtualMachineScaleSet;
    readonly images: ReadonlyMap<string, Readonly<Record<string, string>>>;
  },
): RawAssetRecord {
  const imageRef = imageRefOf(vm);
  const imageTags = imageRef === null ? undefined : context.images.get(imageKey(imageRef));
  return {
    platform: 'azure',
    account: context.subscription,
    region: vm.location || context.scaleSet.location,
    instanceId: vm.id ?? '',
    state: powerStateOf(vm),
    imageRef,
    imageName: null,
    ...(imageTags === undefined ? {} : { imageTags }),
    // Scale-set tags apply to every instance; an instance's own tags win.
    tags: { ...context.scaleSet.tags, ...vm.tags, ...(vm.name === undefined ? {} : { Name: vm.name }) },
  };
}
