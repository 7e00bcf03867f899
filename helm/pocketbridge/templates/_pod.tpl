{{/*
The pod template of a component, shared by the gateway's StatefulSet and the services'
Deployments. (dict "root" $ "component" "auth")
*/}}
{{- define "pocketbridge.podTemplate" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $component := .component }}
{{- $values := index $v $component }}
{{- $c := include "pocketbridge.component" . | fromYaml }}
{{- $secret := include "pocketbridge.secretName" $root }}
metadata:
  labels:
    {{- include "pocketbridge.componentLabels" . | nindent 4 }}
    {{- with $values.podLabels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  annotations:
    # A changed configuration rolls the pods.
    checksum/config: {{ include "pocketbridge.mergedConfig" . | sha256sum }}
    {{- if $v.metrics.podAnnotations }}
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ $c.managementPort | quote }}
    prometheus.io/path: /actuator/prometheus
    {{- end }}
    {{- with $values.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "pocketbridge.serviceAccountName" $root }}
  automountServiceAccountToken: false
  {{- with $v.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds }}
  securityContext:
    {{- toYaml $v.podSecurityContext | nindent 4 }}
  containers:
    - name: {{ $c.module }}
      image: {{ include "pocketbridge.image" . | quote }}
      imagePullPolicy: {{ $v.image.pullPolicy }}
      args:
        - --spring.config.additional-location=optional:file:/etc/pocketbridge/
      ports:
        - name: http
          containerPort: {{ $c.port }}
          protocol: TCP
        - name: management
          containerPort: {{ $c.managementPort }}
          protocol: TCP
      env:
        - name: JDK_JAVA_OPTIONS
          value: {{ trim (printf "%s %s" $v.jvmOptions $values.javaOptions) | quote }}
        # Log lines (logFormat): JSON (ECS structured logging), or text when empty.
        - name: LOGGING_STRUCTURED_FORMAT_CONSOLE
          value: {{ ternary "ecs" "" (eq $v.logFormat "json") | quote }}
        # Traces (tracing): exported by OTLP/HTTP only when an endpoint is set.
        - name: MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT
          value: {{ $v.tracing.otlpEndpoint | quote }}
        - name: MANAGEMENT_TRACING_SAMPLING_PROBABILITY
          value: {{ $v.tracing.samplingProbability | quote }}
        # Static group membership of the Kafka consumers: one id per pod.
        - name: POCKETBRIDGE_KAFKA_INSTANCEID
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        {{- if eq $component "gateway" }}
        # The pod's ordinal in the StatefulSet is its node id: it reads that partition of deliveries.
        - name: POCKETBRIDGE_GATEWAY_ROUTING_NODEID
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['apps.kubernetes.io/pod-index']
        - name: POCKETBRIDGE_GATEWAY_IDENTITY_PRIVATEKEY
          valueFrom:
            secretKeyRef:
              name: {{ $secret }}
              key: gateway-identity-key
        {{- end }}
        {{- if has $component (list "gateway" "auth" "device") }}
        - name: POCKETBRIDGE_INTERNAL_CLIENTSECRET
          valueFrom:
            secretKeyRef:
              name: {{ $secret }}
              key: internal-client-secret
        {{- end }}
        {{- if has $component (list "auth" "device" "event") }}
        - name: SPRING_DATASOURCE_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ include "pocketbridge.databaseSecretName" $root }}
              key: {{ $component }}-password
        {{- end }}
        {{- if eq $component "auth" }}
        - name: POCKETBRIDGE_AUTH_TOKEN_SIGNINGKEY
          valueFrom:
            secretKeyRef:
              name: {{ $secret }}
              key: jwt-signing-key
              optional: true
        {{- if $v.admin.enabled }}
        - name: POCKETBRIDGE_AUTH_ADMIN_PASSWORD
          valueFrom:
            secretKeyRef:
              name: {{ $secret }}
              key: admin-password
              optional: true
        - name: POCKETBRIDGE_AUTH_ADMIN_PASSWORDHASH
          valueFrom:
            secretKeyRef:
              name: {{ $secret }}
              key: admin-password-hash
              optional: true
        {{- end }}
        {{- end }}
        {{- if eq $component "event" }}
        - name: POCKETBRIDGE_EVENT_REPLAY_TOKENSECRET
          valueFrom:
            secretKeyRef:
              name: {{ $secret }}
              key: replay-token-secret
        {{- if $v.analytics.enabled }}
        - name: POCKETBRIDGE_ANALYTICS_ENABLED
          value: "true"
        - name: POCKETBRIDGE_ANALYTICS_KEY
          valueFrom:
            secretKeyRef:
              name: {{ $secret }}
              key: analytics-key
        {{- end }}
        {{- end }}
        {{- with $v.extraEnv }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
        {{- with $values.env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      startupProbe:
        httpGet:
          path: /actuator/health/liveness
          port: management
        {{- toYaml $v.probes.startup | nindent 8 }}
      livenessProbe:
        httpGet:
          path: /actuator/health/liveness
          port: management
        {{- toYaml $v.probes.liveness | nindent 8 }}
      readinessProbe:
        httpGet:
          path: /actuator/health/readiness
          port: management
        {{- toYaml $v.probes.readiness | nindent 8 }}
      resources:
        {{- toYaml $values.resources | nindent 8 }}
      securityContext:
        {{- toYaml $v.securityContext | nindent 8 }}
      volumeMounts:
        - name: config
          mountPath: /etc/pocketbridge
          readOnly: true
        # The root file system is read-only: Tomcat and Netty write temporary files here.
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: config
      configMap:
        name: {{ include "pocketbridge.componentName" . }}
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
  {{- with $values.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $values.topologySpreadConstraints }}
  topologySpreadConstraints:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if $values.affinity }}
  affinity:
    {{- toYaml $values.affinity | nindent 4 }}
  {{- else if eq $v.podAntiAffinity "soft" }}
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          podAffinityTerm:
            topologyKey: kubernetes.io/hostname
            labelSelector:
              matchLabels:
                {{- include "pocketbridge.selectorLabels" . | nindent 16 }}
  {{- else if eq $v.podAntiAffinity "hard" }}
  affinity:
    podAntiAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        - topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "pocketbridge.selectorLabels" . | nindent 14 }}
  {{- end }}
{{- end }}
