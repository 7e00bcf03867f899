{{/* Names and labels. */}}
{{- define "pocketbridge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name; every object is named <fullname>-<component>, so it is kept short. */}}
{{- define "pocketbridge.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "pocketbridge.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object carries. */}}
{{- define "pocketbridge.labels" -}}
helm.sh/chart: {{ include "pocketbridge.chart" . }}
{{ include "pocketbridge.releaseSelector" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pocketbridge
{{- end }}

{{/* Selects every pod of this release (NetworkPolicy). */}}
{{- define "pocketbridge.releaseSelector" -}}
app.kubernetes.io/name: {{ include "pocketbridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Selects the pods of one component: (dict "root" $ "component" "gateway"). */}}
{{- define "pocketbridge.selectorLabels" -}}
{{ include "pocketbridge.releaseSelector" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "pocketbridge.componentLabels" -}}
{{ include "pocketbridge.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
The five components: their Maven module (the image name), their HTTP port and their management
(actuator) port, as in each service's application.yml.
*/}}
{{- define "pocketbridge.components" -}}
gateway:
  module: gateway-service
  port: 8080
  managementPort: 9080
auth:
  module: auth-service
  port: 8081
  managementPort: 9081
device:
  module: device-service
  port: 8082
  managementPort: 9082
event:
  module: event-service
  port: 8083
  managementPort: 9083
relay:
  module: relay-service
  port: 8084
  managementPort: 9084
{{- end }}

{{/* One component's facts: (dict "root" $ "component" "auth") -> YAML of module, port, managementPort. */}}
{{- define "pocketbridge.component" -}}
{{- index (include "pocketbridge.components" .root | fromYaml) .component | toYaml }}
{{- end }}

{{/* The object name of a component: <fullname>-<component>. */}}
{{- define "pocketbridge.componentName" -}}
{{- printf "%s-%s" (include "pocketbridge.fullname" .root) .component }}
{{- end }}

{{/* http://<fullname>-<component>:<port> (port: "port" or "managementPort"). */}}
{{- define "pocketbridge.componentUrl" -}}
{{- $c := include "pocketbridge.component" . | fromYaml }}
{{- printf "http://%s:%v" (include "pocketbridge.componentName" .) (index $c .port) }}
{{- end }}

{{- define "pocketbridge.image" -}}
{{- $c := include "pocketbridge.component" . | fromYaml }}
{{- $v := .root.Values.image }}
{{- $repository := printf "%s/%s" $v.repository $c.module }}
{{- if $v.registry }}
{{- $repository = printf "%s/%s" $v.registry $repository }}
{{- end }}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $v.tag) }}
{{- end }}

{{- define "pocketbridge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "pocketbridge.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret with the services' secrets. */}}
{{- define "pocketbridge.secretName" -}}
{{- default (printf "%s-secrets" (include "pocketbridge.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{/* The Secret with the database passwords. */}}
{{- define "pocketbridge.databaseSecretName" -}}
{{- default (printf "%s-postgresql" (include "pocketbridge.fullname" .)) .Values.postgresql.existingSecret }}
{{- end }}

{{/* JDBC URL of a component's database: (dict "root" $ "component" "auth"). */}}
{{- define "pocketbridge.jdbcUrl" -}}
{{- $pg := .root.Values.postgresql }}
{{- $db := index $pg .component }}
{{- $url := printf "jdbc:postgresql://%s:%v/%s" $pg.host $pg.port $db.database }}
{{- if $pg.parameters }}
{{- $url = printf "%s?%s" $url $pg.parameters }}
{{- end }}
{{- $url }}
{{- end }}

{{/*
A Secret value, base64-encoded for `data`: the one given in values, else the one already in the
cluster (so generated values survive upgrades), else 32 random bytes as base64url without padding.
(dict "given" <string> "current" <base64 or nil>)
*/}}
{{- define "pocketbridge.secretValue" -}}
{{- if .given }}
{{- .given | b64enc }}
{{- else if .current }}
{{- .current }}
{{- else }}
{{- randBytes 32 | replace "+" "-" | replace "/" "_" | trimSuffix "=" | b64enc }}
{{- end }}
{{- end }}
