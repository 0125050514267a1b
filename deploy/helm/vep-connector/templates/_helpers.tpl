{{- define "vep-connector.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "vep-connector.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "vep-connector.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The application.yaml the ConfigMap holds: operator-contract property names, from values. */}}
{{- define "vep-connector.applicationYaml" -}}
{{- $settings := dict
  "vep" (dict
    "exchange" .Values.vep.exchange
    "integration-exchange" .Values.vep.integrationExchange
    "queue" .Values.vep.queue
    "queue-type" .Values.vep.queueType
    "subscriptions" .Values.vep.subscriptions
    "data-directory" "/app/data"
    "cases" (dict "transcript-wait" .Values.vep.cases.transcriptWait)
    "sinks" (dict
      "file" (dict "enabled" .Values.sinks.file.enabled "directory" .Values.sinks.file.directory)
      "webhook" (dict "enabled" .Values.sinks.webhook.enabled "url" .Values.sinks.webhook.url)
      "salesforce" (dict "enabled" .Values.sinks.salesforce.enabled)))
  "spring" (dict
    "rabbitmq" (dict
      "host" .Values.broker.host
      "port" .Values.broker.port
      "virtual-host" .Values.broker.virtualHost)
    "datasource" (dict "url" .Values.database.url))
  "camel" (dict "main" (dict "routes-include-pattern" (include "vep-connector.routesIncludePattern" .)))
-}}
{{- mustMergeOverwrite $settings .Values.config | toYaml -}}
{{- end -}}


{{/* Where the default route files come from: "chart" (in the routes ConfigMap) or "jar" (the image's). */}}
{{- define "vep-connector.defaultRoutes" -}}
{{- if not (has .Values.defaultRoutes (list "chart" "jar")) -}}
{{- fail (printf "defaultRoutes is %q: chart or jar" (toString .Values.defaultRoutes)) -}}
{{- end -}}
{{- .Values.defaultRoutes -}}
{{- end -}}

{{- define "vep-connector.routesIncludePattern" -}}
{{- if eq (include "vep-connector.defaultRoutes" .) "jar" -}}
classpath:routes/*.yaml,file:/etc/vep-connector/routes/*.yaml
{{- else -}}
file:/etc/vep-connector/routes/*.yaml
{{- end -}}
{{- end -}}

{{/* The extensions volume's source: an emptyDir the init container fills, the operator's volume, or none (empty). */}}
{{- define "vep-connector.extensionsVolume" -}}
{{- $extensions := .Values.extensions -}}
{{- if and $extensions.image $extensions.volume -}}
{{- fail "extensions: give an image (copied into the pod) or a volume, not both" -}}
{{- else if $extensions.image -}}
emptyDir: {}
{{- else if $extensions.volume -}}
{{- toYaml $extensions.volume -}}
{{- end -}}
{{- end -}}
