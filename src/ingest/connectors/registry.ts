/**
 * The connector definitions this build knows. A provider folder adds itself with one import line
 * below and one entry in BUILTIN; plugins and tests call `registerConnector`. One definition per
 * `kind`: a workspace may configure several connectors (rows) of the same kind.
 */
import type { ConnectorKind } from '../../db/schema/sync.ts';
import { amazonAds } from './amazon-ads/index.ts';
import { amazonSp } from './amazon-sp/index.ts';
import { fxEcb } from './fx-ecb/index.ts';
import { lingxing } from './lingxing/index.ts';
import type { ConnectorDefinition } from './types.ts';

const BUILTIN: ConnectorDefinition[] = [
  fxEcb,
  amazonSp,
  amazonAds,
  lingxing,
];

const definitions = new Map<ConnectorKind, ConnectorDefinition>();

/** Adds (or, for tests, replaces) the definition of `def.kind`; returns a function removing it. */
export function registerConnector(def: ConnectorDefinition): () => void {
  const before = definitions.get(def.kind);
  definitions.set(def.kind, def);
  return () => {
    if (definitions.get(def.kind) !== def) return;
    if (before) definitions.set(def.kind, before);
    else definitions.delete(def.kind);
  };
}

for (const def of BUILTIN) registerConnector(def);

export function connectorDefinition(kind: string): ConnectorDefinition | undefined {
  return definitions.get(kind as ConnectorKind);
}

export function connectorDefinitions(): ConnectorDefinition[] {
  return [...definitions.values()];
}
