{{- define "certstream.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "certstream.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component; call with (dict "root" $ "component" "edge"). */}}
{{- define "certstream.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "certstream.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- /* nats.url: the bundled server, every node of the bundled cluster (each pod by its stable name), or the external URL. */}}
{{- define "certstream.natsUrl" -}}
{{- if and .Values.nats.enabled .Values.nats.cluster.enabled -}}
{{ include "certstream.natsNodes" (dict "root" . "port" 4222) }}
{{- else if .Values.nats.enabled -}}
nats://{{ include "certstream.fullname" . }}-nats:4222
{{- else -}}
{{ required "nats.url is required when nats.enabled is false" .Values.nats.url }}
{{- end -}}
{{- end -}}

{{- /* Every node of the bundled NATS cluster on one port, comma-separated: nats://<release>-nats-<i>.<release>-nats-headless:<port>. */}}
{{- define "certstream.natsNodes" -}}
{{- $full := include "certstream.fullname" .root -}}
{{- $nodes := list -}}
{{- range $i := until (int .root.Values.nats.cluster.size) -}}
{{- $nodes = append $nodes (printf "nats://%s-nats-%d.%s-nats-headless:%d" $full $i $full (int $.port)) -}}
{{- end -}}
{{- join "," $nodes -}}
{{- end -}}

{{- /* nats.replicas (README "A NATS cluster"): 3 on the bundled cluster, else the value given for the NATS in use. */}}
{{- define "certstream.natsReplicas" -}}
{{- if and .Values.nats.enabled .Values.nats.cluster.enabled -}}
{{ min 3 (int .Values.nats.cluster.size) }}
{{- else -}}
{{ .Values.nats.replicas }}
{{- end -}}
{{- end -}}

{{/* Environment of every service container: log settings and, from a Secret, the NATS credentials (kept out of the ConfigMap). */}}
{{- define "certstream.env" -}}
- name: CERTSTREAM_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: CERTSTREAM_LOG_FORMAT
  value: {{ .Values.logFormat | quote }}
{{- with .Values.nats.auth.existingSecret }}
{{- if $.Values.nats.auth.tokenKey }}
- name: CERTSTREAM_NATS_TOKEN
  valueFrom:
    secretKeyRef: { name: {{ . }}, key: {{ $.Values.nats.auth.tokenKey }} }
{{- end }}
{{- if $.Values.nats.auth.userKey }}
- name: CERTSTREAM_NATS_USER
  valueFrom:
    secretKeyRef: { name: {{ . }}, key: {{ $.Values.nats.auth.userKey }} }
{{- end }}
{{- if $.Values.nats.auth.passwordKey }}
- name: CERTSTREAM_NATS_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ . }}, key: {{ $.Values.nats.auth.passwordKey }} }
{{- end }}
{{- end }}
{{- end -}}

{{/*
A service Deployment; call with (dict "root" $ "component" "parser" "port" 9102).
The three services differ only in name, port and values block, so they share this one template.
*/}}
{{- define "certstream.deployment" -}}
{{- $root := .root -}}
{{- $values := index $root.Values .component -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "certstream.fullname" $root }}-{{ .component }}
  labels:
    {{- include "certstream.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- /* With an HPA the replica count is the autoscaler's: leaving it out keeps upgrades from resetting it. */}}
  {{- if not (dig "autoscaling" "enabled" false $values) }}
  replicas: {{ $values.replicas }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "certstream.selector" (dict "root" $root "component" .component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "certstream.selector" (dict "root" $root "component" .component) | nindent 8 }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        prometheus.io/scrape: {{ $root.Values.config.prometheus.enabled | quote }}
        prometheus.io/port: {{ .port | quote }}
        prometheus.io/path: {{ $root.Values.config.prometheus.metrics_url | quote }}
    spec:
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds }}
      containers:
        - name: {{ .component }}
          image: {{ include "certstream.image" $root }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          args: [{{ .component | quote }}]
          env:
            {{- include "certstream.env" $root | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ .port }}
          volumeMounts:
            - name: config
              mountPath: /etc/certstream
              readOnly: true
            - name: tmp
              mountPath: /tmp
          livenessProbe:
            httpGet: { path: /healthz, port: http }
            initialDelaySeconds: 5
            periodSeconds: 10
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /readyz, port: http }
            periodSeconds: 5
            failureThreshold: 2
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
      {{- with $values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        - name: config
          configMap:
            name: {{ include "certstream.fullname" $root }}-config
{{- end -}}

{{/* A CPU-based HorizontalPodAutoscaler; call with (dict "root" $ "component" "edge"). */}}
{{- define "certstream.hpa" -}}
{{- $root := .root -}}
{{- $values := index $root.Values .component -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "certstream.fullname" $root }}-{{ .component }}
  labels:
    {{- include "certstream.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "certstream.fullname" $root }}-{{ .component }}
  minReplicas: {{ $values.autoscaling.minReplicas }}
  maxReplicas: {{ $values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $values.autoscaling.targetCPUUtilizationPercentage }}
{{- end -}}

{{/* A PodDisruptionBudget; call with (dict "root" $ "component" "parser"). */}}
{{- define "certstream.pdb" -}}
{{- $root := .root -}}
{{- $values := index $root.Values .component -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "certstream.fullname" $root }}-{{ .component }}
  labels:
    {{- include "certstream.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  minAvailable: {{ $values.pdb.minAvailable }}
  selector:
    matchLabels:
      {{- include "certstream.selector" (dict "root" $root "component" .component) | nindent 6 }}
{{- end -}}
