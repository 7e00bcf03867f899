{{/*
Each service's Spring configuration, as YAML: what the chart derives from its values. The
ConfigMap merges the service's `config` value over it. (dict "root" $ "component" "auth")
*/}}
{{- define "pocketbridge.config" -}}
{{- $root := .root }}
{{- $v := $root.Values }}
{{- $component := .component }}
{{- $c := include "pocketbridge.component" . | fromYaml }}
server:
  port: {{ $c.port }}
management:
  server:
    port: {{ $c.managementPort }}
spring:
  kafka:
    bootstrap-servers: {{ $v.kafka.bootstrapServers | quote }}
    {{- with $v.kafka.properties }}
    properties:
      {{- toYaml . | nindent 6 }}
    {{- end }}
  {{- if has $component (list "auth" "device" "event") }}
  datasource:
    url: {{ include "pocketbridge.jdbcUrl" . | quote }}
    username: {{ (index $v.postgresql $component).username | quote }}
  {{- end }}
pocketbridge:
  {{- if eq $component "gateway" }}
  services:
    auth: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "auth" "port" "port") }}
    device: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "device" "port" "port") }}
    event: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "event" "port" "port") }}
    relay: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "relay" "port" "port") }}
    # /health reads each service's readiness on its management port.
    management:
      auth: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "auth" "port" "managementPort") }}
      device: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "device" "port" "managementPort") }}
      event: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "event" "port" "managementPort") }}
      relay: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "relay" "port" "managementPort") }}
  {{- with $v.gateway.trustedProxies }}
  gateway:
    rate-limits:
      trusted-proxies:
        {{- toYaml . | nindent 8 }}
  {{- end }}
  {{- else if eq $component "auth" }}
  services:
    device: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "device" "port" "port") }}
  auth:
    admin:
      username: {{ $v.admin.username | quote }}
  {{- else if eq $component "device" }}
  services:
    auth: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "auth" "port" "port") }}
  {{- else if eq $component "event" }}
  services:
    auth: {{ include "pocketbridge.componentUrl" (dict "root" $root "component" "auth" "port" "port") }}
  kafka:
    deliveries-partitions: {{ $v.kafka.topics.deliveriesPartitions }}
  {{- else if eq $component "relay" }}
  kafka:
    deliveries-partitions: {{ $v.kafka.topics.deliveriesPartitions }}
  {{- end }}
{{- end }}

{{/* The configuration a service reads: the derived one with the service's `config` value merged over it. */}}
{{- define "pocketbridge.mergedConfig" -}}
{{- $derived := include "pocketbridge.config" . | fromYaml }}
{{- toYaml (mustMergeOverwrite $derived (deepCopy (index .root.Values .component).config)) }}
{{- end }}
