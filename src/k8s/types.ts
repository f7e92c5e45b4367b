/**
 * The slice of the Kubernetes API that the builders emit, as plain JSON-shaped types. Field names
 * and nesting follow the API exactly (the tests validate every object against the schemas in
 * `kubernetes-models` and reject unknown fields), but only the fields Godwit sets are declared.
 */

export type Labels = Readonly<Record<string, string>>;

export interface ObjectMeta {
  name?: string;
  /** Used instead of `name` by Argo CD hooks that want a fresh object per sync. */
  generateName?: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Labels;
}

export interface ResourceList {
  cpu?: string;
  memory?: string;
  'ephemeral-storage'?: string;
}

export interface ResourceRequirements {
  requests?: ResourceList;
  limits?: ResourceList;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

export interface SecurityContext {
  runAsNonRoot: boolean;
  runAsUser: number;
  runAsGroup: number;
  allowPrivilegeEscalation: boolean;
  readOnlyRootFilesystem: boolean;
  capabilities: { drop: string[] };
  seccompProfile: { type: 'RuntimeDefault' };
}

export interface PodSecurityContext {
  runAsNonRoot: boolean;
  runAsUser: number;
  runAsGroup: number;
  seccompProfile: { type: 'RuntimeDefault' };
}

export interface HttpProbe {
  httpGet: { path: string; port: number | string };
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  successThreshold?: number;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  args: string[];
  env: EnvVar[];
  resources: ResourceRequirements;
  securityContext: SecurityContext;
  terminationMessagePolicy: 'FallbackToLogsOnError' | 'File';
  volumeMounts?: VolumeMount[];
}

export interface Volume {
  name: string;
  emptyDir: { medium?: string; sizeLimit?: string };
}

export interface PodSpec {
  restartPolicy: 'Never' | 'OnFailure' | 'Always';
  automountServiceAccountToken: boolean;
  enableServiceLinks: boolean;
  terminationGracePeriodSeconds: number;
  securityContext: PodSecurityContext;
  imagePullSecrets?: { name: string }[];
  containers: Container[];
  volumes?: Volume[];
}

export interface PodFailurePolicyRule {
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status: 'True' | 'False' | 'Unknown' }[];
}

export interface JobSpec {
  backoffLimit: number;
  activeDeadlineSeconds: number;
  ttlSecondsAfterFinished: number;
  podFailurePolicy: { rules: PodFailurePolicyRule[] };
  template: { metadata: { labels: Labels; annotations?: Labels }; spec: PodSpec };
}

export interface Job {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: ObjectMeta;
  spec: JobSpec;
}

/** A piece of a PodSpec to merge into the app's Deployment (`spec.template.spec`). */
export interface PodSpecSnippet {
  initContainers: Container[];
  volumes?: Volume[];
}

/** Fields to add to the app's own container (in-app mode). */
export interface ContainerProbeSnippet {
  startupProbe: HttpProbe;
}

/** A JSON value: what the YAML writer accepts. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
