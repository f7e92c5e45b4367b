/**
 * A structural validator for SARIF 2.1.0 logs, written for the tests because the official JSON
 * schema (sarif-schema-2.1.0.json) cannot be downloaded here and no installed package ships it.
 *
 * It encodes, from the schema, what matters for the objects Godwit emits: sarifLog, run, tool,
 * toolComponent, reportingDescriptor, reportingConfiguration, multiformatMessageString, result,
 * message, location, physicalLocation, artifactLocation, region, artifactContent, suppression and
 * propertyBag: required properties, property types, enums, integer minimums, `uri`/`uri-reference`
 * formats, and `additionalProperties: false` (every property name allowed by the schema is listed;
 * the sub-objects Godwit never emits are accepted as any JSON object). Cross-field rules of the
 * spec that the schema cannot express are checked too: ruleIndex points at the rule with ruleId.
 */
type Spec =
  | { readonly t: 'object'; readonly props: Readonly<Record<string, Spec>>; readonly required?: readonly string[]; readonly open?: boolean; readonly anyOf?: readonly (readonly string[])[] }
  | { readonly t: 'string'; readonly enum?: readonly string[]; readonly format?: 'uri' | 'uri-reference' }
  | { readonly t: 'integer'; readonly min?: number }
  | { readonly t: 'number'; readonly min?: number; readonly max?: number }
  | { readonly t: 'boolean' }
  | { readonly t: 'array'; readonly items: Spec; readonly minItems?: number; readonly unique?: boolean }
  | { readonly t: 'map'; readonly values: Spec }
  | { readonly t: 'any-object' }
  | { readonly t: 'any' };

const str: Spec = { t: 'string' };
const int = (min?: number): Spec => (min === undefined ? { t: 'integer' } : { t: 'integer', min });
const obj: Spec = { t: 'any-object' };
const arr = (items: Spec, unique = false, minItems = 0): Spec => ({ t: 'array', items, unique, minItems });
const LEVEL: Spec = { t: 'string', enum: ['none', 'note', 'warning', 'error'] };

const propertyBag: Spec = { t: 'object', open: true, props: { tags: arr(str, true) } };

const multiformatMessageString: Spec = { t: 'object', required: ['text'], props: { text: str, markdown: str, properties: propertyBag } };

const message: Spec = {
  t: 'object',
  anyOf: [['text'], ['id']],
  props: { text: str, markdown: str, id: str, arguments: arr(str), properties: propertyBag },
};

const artifactContent: Spec = { t: 'object', props: { text: str, binary: str, rendered: multiformatMessageString, properties: propertyBag } };

const artifactLocation: Spec = {
  t: 'object',
  props: { uri: { t: 'string', format: 'uri-reference' }, uriBaseId: str, index: int(-1), description: message, properties: propertyBag },
};

const region: Spec = {
  t: 'object',
  props: {
    startLine: int(1),
    startColumn: int(1),
    endLine: int(1),
    endColumn: int(1),
    charOffset: int(-1),
    charLength: int(0),
    byteOffset: int(-1),
    byteLength: int(0),
    snippet: artifactContent,
    message,
    sourceLanguage: str,
    properties: propertyBag,
  },
};

const physicalLocation: Spec = {
  t: 'object',
  anyOf: [['address'], ['artifactLocation']],
  props: { address: obj, artifactLocation, region, contextRegion: region, properties: propertyBag },
};

const location: Spec = {
  t: 'object',
  props: { id: int(-1), physicalLocation, logicalLocations: arr(obj, true), message, annotations: arr(region, true), relationships: arr(obj, true), properties: propertyBag },
};

const suppression: Spec = {
  t: 'object',
  required: ['kind'],
  props: {
    guid: str,
    kind: { t: 'string', enum: ['inSource', 'external'] },
    status: { t: 'string', enum: ['accepted', 'underReview', 'rejected'] },
    justification: str,
    location,
    properties: propertyBag,
  },
};

const reportingConfiguration: Spec = {
  t: 'object',
  props: { enabled: { t: 'boolean' }, level: LEVEL, rank: { t: 'number', min: -1, max: 100 }, parameters: propertyBag, properties: propertyBag },
};

const reportingDescriptor: Spec = {
  t: 'object',
  required: ['id'],
  props: {
    id: str,
    deprecatedIds: arr(str, true),
    guid: str,
    deprecatedGuids: arr(str, true),
    name: str,
    deprecatedNames: arr(str, true),
    shortDescription: multiformatMessageString,
    fullDescription: multiformatMessageString,
    messageStrings: { t: 'map', values: multiformatMessageString },
    defaultConfiguration: reportingConfiguration,
    helpUri: { t: 'string', format: 'uri' },
    help: multiformatMessageString,
    relationships: arr(obj, true),
    properties: propertyBag,
  },
};

const toolComponent: Spec = {
  t: 'object',
  required: ['name'],
  props: Object.fromEntries([
    ...['guid', 'name', 'organization', 'product', 'productSuffix', 'fullName', 'version', 'semanticVersion', 'dottedQuadFileVersion', 'releaseDateUtc', 'language', 'localizedDataSemanticVersion', 'minimumRequiredLocalizedDataSemanticVersion'].map((k) => [k, str]),
    ['downloadUri', { t: 'string', format: 'uri' }],
    ['informationUri', { t: 'string', format: 'uri' }],
    ['shortDescription', multiformatMessageString],
    ['fullDescription', multiformatMessageString],
    ['globalMessageStrings', { t: 'map', values: multiformatMessageString }],
    ['notifications', arr(reportingDescriptor, true)],
    ['rules', arr(reportingDescriptor, true)],
    ['taxa', arr(reportingDescriptor, true)],
    ['locations', arr(artifactLocation)],
    ['contents', arr({ t: 'string', enum: ['localizedData', 'nonLocalizedData'] }, true)],
    ['isComprehensive', { t: 'boolean' }],
    ['associatedComponent', obj],
    ['translationMetadata', obj],
    ['supportedTaxonomies', arr(obj, true)],
    ['properties', propertyBag],
  ]) as Record<string, Spec>,
};

const tool: Spec = { t: 'object', required: ['driver'], props: { driver: toolComponent, extensions: arr(toolComponent, true), properties: propertyBag } };

const result: Spec = {
  t: 'object',
  required: ['message'],
  props: {
    guid: str,
    correlationGuid: str,
    ruleId: str,
    ruleIndex: int(-1),
    rule: obj,
    kind: { t: 'string', enum: ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'] },
    level: LEVEL,
    message,
    analysisTarget: artifactLocation,
    locations: arr(location),
    webRequest: obj,
    webResponse: obj,
    fingerprints: { t: 'map', values: str },
    partialFingerprints: { t: 'map', values: str },
    codeFlows: arr(obj),
    graphs: arr(obj, true),
    graphTraversals: arr(obj, true),
    stacks: arr(obj, true),
    relatedLocations: arr(location, true),
    suppressions: arr(suppression, true),
    baselineState: { t: 'string', enum: ['new', 'unchanged', 'updated', 'absent'] },
    rank: { t: 'number', min: -1, max: 100 },
    attachments: arr(obj, true),
    hostedViewerUri: { t: 'string', format: 'uri' },
    workItemUris: arr({ t: 'string', format: 'uri' }, true),
    provenance: obj,
    fixes: arr(obj, true),
    taxa: arr(obj, true),
    properties: propertyBag,
  },
};

const run: Spec = {
  t: 'object',
  required: ['tool'],
  props: {
    tool,
    invocations: arr(obj),
    conversion: obj,
    language: str,
    versionControlProvenance: arr(obj, true),
    originalUriBaseIds: { t: 'map', values: artifactLocation },
    artifacts: arr(obj, true),
    logicalLocations: arr(obj, true),
    graphs: arr(obj, true),
    results: arr(result),
    automationDetails: obj,
    runAggregates: arr(obj, true),
    baselineGuid: str,
    redactionTokens: arr(str, true),
    defaultEncoding: str,
    defaultSourceLanguage: str,
    newlineSequences: arr(str, true, 1),
    columnKind: { t: 'string', enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
    externalPropertyFileReferences: obj,
    threadFlowLocations: arr(obj, true),
    taxonomies: arr(toolComponent, true),
    addresses: arr(obj),
    translations: arr(toolComponent, true),
    policies: arr(toolComponent, true),
    webRequests: arr(obj, true),
    webResponses: arr(obj, true),
    specialLocations: obj,
    properties: propertyBag,
  },
};

const sarifLog: Spec = {
  t: 'object',
  required: ['version', 'runs'],
  props: {
    $schema: { t: 'string', format: 'uri' },
    version: { t: 'string', enum: ['2.1.0'] },
    runs: arr(run),
    inlineExternalProperties: arr(obj, true),
    properties: propertyBag,
  },
};

function isUri(s: string): boolean {
  try {
    return new URL(s).protocol.length > 1;
  } catch {
    return false;
  }
}

/** RFC 3986 relative reference: no spaces or characters that must be percent-encoded. */
function isUriReference(s: string): boolean {
  return isUri(s) || /^([A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*(#([A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*)?$/.test(s);
}

function check(v: unknown, spec: Spec, path: string, errors: string[]): void {
  const type = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
  switch (spec.t) {
    case 'any':
      return;
    case 'any-object':
      if (type !== 'object') errors.push(`${path}: expected an object, got ${type}`);
      return;
    case 'string':
      if (type !== 'string') return void errors.push(`${path}: expected a string, got ${type}`);
      if (spec.enum && !spec.enum.includes(v as string)) errors.push(`${path}: "${String(v)}" is not one of ${spec.enum.join(', ')}`);
      if (spec.format === 'uri' && !isUri(v as string)) errors.push(`${path}: "${String(v)}" is not an absolute URI`);
      if (spec.format === 'uri-reference' && !isUriReference(v as string)) errors.push(`${path}: "${String(v)}" is not a URI reference`);
      return;
    case 'integer':
      if (!Number.isInteger(v)) return void errors.push(`${path}: expected an integer`);
      if (spec.min !== undefined && (v as number) < spec.min) errors.push(`${path}: ${String(v)} < minimum ${spec.min}`);
      return;
    case 'number':
      if (type !== 'number') return void errors.push(`${path}: expected a number`);
      if (spec.min !== undefined && (v as number) < spec.min) errors.push(`${path}: below minimum`);
      if (spec.max !== undefined && (v as number) > spec.max) errors.push(`${path}: above maximum`);
      return;
    case 'boolean':
      if (type !== 'boolean') errors.push(`${path}: expected a boolean`);
      return;
    case 'array': {
      if (type !== 'array') return void errors.push(`${path}: expected an array, got ${type}`);
      const a = v as unknown[];
      if (a.length < (spec.minItems ?? 0)) errors.push(`${path}: fewer than ${spec.minItems} items`);
      if (spec.unique && new Set(a.map((x) => JSON.stringify(x))).size !== a.length) errors.push(`${path}: items are not unique`);
      a.forEach((x, i) => check(x, spec.items, `${path}[${i}]`, errors));
      return;
    }
    case 'map':
      if (type !== 'object') return void errors.push(`${path}: expected an object`);
      for (const [k, x] of Object.entries(v as object)) check(x, spec.values, `${path}.${k}`, errors);
      return;
    case 'object': {
      if (type !== 'object') return void errors.push(`${path}: expected an object, got ${type}`);
      const o = v as Record<string, unknown>;
      for (const r of spec.required ?? []) if (!(r in o)) errors.push(`${path}: missing required property "${r}"`);
      if (spec.anyOf && !spec.anyOf.some((set) => set.every((k) => k in o))) errors.push(`${path}: needs one of ${spec.anyOf.map((s) => s.join('+')).join(' | ')}`);
      for (const [k, x] of Object.entries(o)) {
        const p = spec.props[k];
        if (p) check(x, p, `${path}.${k}`, errors);
        else if (!spec.open) errors.push(`${path}: property "${k}" is not allowed`);
      }
      return;
    }
  }
}

/** Every problem found in a SARIF 2.1.0 log; [] when it is valid. */
export function validateSarif(log: unknown): string[] {
  const errors: string[] = [];
  check(log, sarifLog, '$', errors);
  if (errors.length > 0) return errors;
  const runs = (log as { runs: Array<{ tool: { driver: { rules?: Array<{ id: string }> } }; results?: Array<{ ruleId?: string; ruleIndex?: number }> }> }).runs;
  runs.forEach((r, ri) => {
    const rules = r.tool.driver.rules ?? [];
    (r.results ?? []).forEach((res, i) => {
      if (res.ruleIndex !== undefined && res.ruleIndex >= 0) {
        const rule = rules[res.ruleIndex];
        if (!rule) errors.push(`$.runs[${ri}].results[${i}].ruleIndex ${res.ruleIndex} is past tool.driver.rules`);
        else if (res.ruleId !== undefined && rule.id !== res.ruleId) errors.push(`$.runs[${ri}].results[${i}]: ruleId ${res.ruleId} but ruleIndex points at ${rule.id}`);
      }
    });
  });
  return errors;
}
