{{/* Chart name, bounded to 63 characters. */}}
{{- define "fedmllm-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects. */}}
{{- define "fedmllm-operator.fullname" -}}
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

{{- define "fedmllm-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object of the chart carries. */}}
{{- define "fedmllm-operator.labels" -}}
helm.sh/chart: {{ include "fedmllm-operator.chart" . }}
{{ include "fedmllm-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: fedmllm
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "fedmllm-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fedmllm-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "fedmllm-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "fedmllm-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "fedmllm-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
The namespaces RBAC is granted in (Roles, or RoleBindings of the ClusterRole) and the operator watches, as a list:
watchNamespaces, or the release namespace when it is empty and the scope is namespaced; empty (all namespaces, one
ClusterRoleBinding) for a cluster-scoped install without a list.
*/}}
{{- define "fedmllm-operator.namespaces" -}}
{{- if .Values.watchNamespaces }}
{{- toJson (uniq .Values.watchNamespaces) }}
{{- else if eq .Values.rbac.scope "namespaced" }}
{{- toJson (list .Release.Namespace) }}
{{- else }}
{{- toJson (list) }}
{{- end }}
{{- end }}

{{/* The QOSDK namespaces value: JOSDK_ALL_NAMESPACES or a comma-separated list. */}}
{{- define "fedmllm-operator.watchValue" -}}
{{- $ns := include "fedmllm-operator.namespaces" . | fromJsonArray }}
{{- if $ns }}{{ join "," $ns }}{{ else }}JOSDK_ALL_NAMESPACES{{ end }}
{{- end }}

{{/*
The rules the operator needs, and nothing more:
- its custom resources: read and watch them, patch/update them (finalizer of a Federation with retainPolicy Delete),
  their status (server-side apply) and finalizers (owner references with blockOwnerDeletion);
- pods (aggregator, trainers), services (aggregator metrics), configmaps (rendered manifest): the full life cycle;
- events: create, patch;
- secrets: get only, the storage credentials named in spec.storage.credentialsSecret (optionally by name).
*/}}
{{- define "fedmllm-operator.rules" -}}
- apiGroups: ["fedmllm.io"]
  resources: ["federations", "federationclients"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["fedmllm.io"]
  resources: ["federations/status", "federationclients/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["fedmllm.io"]
  resources: ["federations/finalizers", "federationclients/finalizers"]
  verbs: ["update", "patch"]
- apiGroups: [""]
  resources: ["pods", "services", "configmaps"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: [""]
  resources: ["secrets"]
  {{- with .Values.rbac.secretNames }}
  resourceNames: {{ toJson (uniq .) }}
  {{- end }}
  verbs: ["get"]
{{- end }}
