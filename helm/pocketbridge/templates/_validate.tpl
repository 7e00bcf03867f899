{{/*
Refuses values that cannot work. Included by validate.yaml, which renders nothing else.
*/}}
{{- define "pocketbridge.validate" -}}
{{- $v := .Values }}
{{- $replicas := int $v.gateway.replicas }}
{{- $partitions := int $v.kafka.topics.deliveriesPartitions }}
{{- if gt $replicas $partitions }}
{{- fail (printf "gateway.replicas (%d) is more than kafka.topics.deliveriesPartitions (%d): gateway pod N is node N and reads partition N of deliveries, so every gateway pod needs a partition of its own. Lower gateway.replicas or raise the partitions (docs/deployment.md, \"Scaling gateways\")." $replicas $partitions) }}
{{- end }}
{{- if gt $replicas 16 }}
{{- fail (printf "gateway.replicas (%d) is more than 16: the gateway accepts node ids 0..15 (pocketbridge.gateway.routing.node-id), one per pod." $replicas) }}
{{- end }}
{{- if $v.secrets.existingSecret }}
{{- range $key := list "internalClientSecret" "gatewayIdentityKey" "replayTokenSecret" "jwtSigningKey" "adminPassword" "adminPasswordHash" "analyticsKey" }}
{{- if index $v.secrets $key }}
{{- fail (printf "secrets.%s is set together with secrets.existingSecret: put it into the Secret %s instead (key names in values.yaml)." $key $v.secrets.existingSecret) }}
{{- end }}
{{- end }}
{{- end }}
{{- if and $v.postgresql.existingSecret (or $v.postgresql.auth.password $v.postgresql.device.password $v.postgresql.event.password) }}
{{- fail (printf "postgresql.*.password is set together with postgresql.existingSecret: put the passwords into the Secret %s (keys auth-password, device-password, event-password)." $v.postgresql.existingSecret) }}
{{- end }}
{{- range $component := list "auth" "device" "event" "relay" }}
{{- $a := (index $v $component).autoscaling }}
{{- if and $a.enabled (gt (int $a.minReplicas) (int $a.maxReplicas)) }}
{{- fail (printf "%s.autoscaling.minReplicas (%d) is more than its maxReplicas (%d)." $component (int $a.minReplicas) (int $a.maxReplicas)) }}
{{- end }}
{{- end }}
{{- end }}
