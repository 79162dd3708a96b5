import type { ObjectContent } from '@rf/platform-vsphere';
import { child, children, textOf } from '@rf/platform-vsphere';
import type { RawAssetRecord } from '../../../domain/normalisation/raw-asset-record';
import type { LibraryItem } from './vsphere-rest.client';

/** Properties the connector reads of each VM. */
export const VM_PROPERTIES = [
  'name',
  'config.instanceUuid',
  'config.template',
  'config.extraConfig',
  'runtime.powerState',
] as const;

/** extraConfig keys under this prefix become asset tags (`rf.tag.environment` → `environment`). */
const TAG_PREFIX = 'rf.tag.';

export interface TemplateIndex {
  readonly byId: ReadonlyMap<string, LibraryItem>;
  readonly byQualifiedName: ReadonlyMap<string, LibraryItem>;
  /** Bare names that identify one item only; a name found in two libraries is ambiguous. */
  readonly byUniqueName: ReadonlyMap<string, LibraryItem>;
}

export function templateIndex(items: readonly LibraryItem[]): TemplateIndex {
  const byId = new Map<string, LibraryItem>();
  const byQualifiedName = new Map<string, LibraryItem>();
  const named = new Map<string, LibraryItem[]>();
  for (const item of items) {
    byId.set(item.id, item);
    byQualifiedName.set(`${item.libraryName}/${item.name}`, item);
    named.set(item.name, [...(named.get(item.name) ?? []), item]);
  }
  const byUniqueName = new Map<string, LibraryItem>();
  for (const [name, matches] of named) {
    const [only] = matches;
    if (matches.length === 1 && only !== undefined) byUniqueName.set(name, only);
  }
  return { byId, byQualifiedName, byUniqueName };
}

export interface TemplateRef {
  readonly imageRef: string;
  readonly imageName: string;
}

/** A template reference as `library/item`, or the raw value when the library does not know it. */
export function resolveTemplate(index: TemplateIndex, value: string): TemplateRef {
  const item = index.byId.get(value) ?? index.byQualifiedName.get(value) ?? index.byUniqueName.get(value);
  if (item === undefined) return { imageRef: value, imageName: value.slice(value.lastIndexOf('/') + 1) };
  return { imageRef: `${item.libraryName}/${item.name}`, imageName: item.name };
}

function extraConfigOf(object: ObjectContent): Map<string, string> {
  const options = new Map<string, string>();
  for (const option of children(object.props.get('config.extraConfig'), 'OptionValue')) {
    const key = textOf(child(option, 'key'));
    const value = textOf(child(option, 'value'));
    if (key !== undefined && value !== undefined) options.set(key, value);
  }
  return options;
}

export interface VmContext {
  readonly account: string;
  /** The VM's datacenter: its region (and, by default, its site). */
  readonly datacenter: string;
  readonly templates: TemplateIndex;
  readonly templateRefKeys: readonly string[];
}

/** One VM as a raw asset; null for a VM template, which is an image, not an asset. */
export function vmRecord(object: ObjectContent, context: VmContext): RawAssetRecord | null {
  if (textOf(object.props.get('config.template')) === 'true') return null;
  const name = textOf(object.props.get('name')) ?? object.obj.value;
  const extraConfig = extraConfigOf(object);
  const tags: Record<string, string> = { Name: name };
  for (const [key, value] of extraConfig) {
    if (key.startsWith(TAG_PREFIX) && key.length > TAG_PREFIX.length)
      tags[key.slice(TAG_PREFIX.length)] = value;
  }
  const templateValue = context.templateRefKeys.map((key) => extraConfig.get(key)?.trim()).find((v) => !!v);
  const template =
    templateValue === undefined ? undefined : resolveTemplate(context.templates, templateValue);
  return {
    platform: 'vsphere',
    account: context.account,
    region: context.datacenter,
    instanceId: textOf(object.props.get('config.instanceUuid')) || object.obj.value,
    state: textOf(object.props.get('runtime.powerState')) ?? '',
    imageRef: template?.imageRef ?? null,
    imageName: template?.imageName ?? null,
    tags,
  };
}
