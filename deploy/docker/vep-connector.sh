#!/bin/sh
# The container image's entrypoint. The image holds the jar extracted (vep-connector.jar, its libraries
# in lib/) for its class data sharing archive, and an extracted jar has no Spring Boot launcher to read
# LOADER_PATH, so this puts what LOADER_PATH names on the class path: as with
# `java -jar target/vep-connector.jar`, a comma-separated list of folders (every jar in them) and jars.
# The archive still serves the connector's classes (the class path it was made with comes first).
set -eu
set -f # LOADER_PATH's entries are taken as written; the JVM expands each folder's "*" to its jars
app=$(dirname "$0")
classpath="$app/vep-connector.jar"
IFS=,
for entry in ${LOADER_PATH:-}; do
  case "$entry" in
    "") ;;
    *.jar) classpath="$classpath:$entry" ;;
    *) classpath="$classpath:${entry%/}/*" ;;
  esac
done
unset IFS
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:SharedArchiveFile="$app/vep-connector.jsa" -cp "$classpath" dev.vepconnector.VepConnectorApplication "$@"
