# shellcheck shell=bash
# How PocketBridge's scripts find Java 21 or newer: one way, sourced by ./pocketbridge (which builds, so it
# needs a JDK) and device-client/pocketbridge-cli (which only runs a jar, so a JRE is enough).
#
#   . build-tools/find-jdk.sh
#   pb_find_java jdk || exit 1    # or: pb_find_java jre
#
# pb_find_java sets and exports JAVA_HOME to the first of
#   1. $JAVA_HOME, when it is a Java >= 21 of the kind needed;
#   2. the newest Java >= 21 of that kind under /usr/lib/jvm, /opt/java and /opt/jdk* (the directories
#      in $POCKETBRIDGE_JVM_DIRS instead, separated by ':', when that is set: the tests use it);
#   3. the java on the PATH, when it is one (its installation directory, links resolved).
# "jdk" needs bin/java and bin/javac, "jre" bin/java only. When none is found it says what it found on
# standard error and returns 1.

pb_java_major() { # prints the feature version (8, 17, 21, ...) of the java binary $1, or 0
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)
  v=${v#1.}     # Java 8 and older say 1.8
  v=${v%%.*}
  case "$v" in
    '' | *[!0-9]*) echo 0 ;;
    *) echo "$v" ;;
  esac
}

pb_is_java() { # true when directory $1 holds a Java >= 21 of kind $2 (jdk|jre)
  [ -x "$1/bin/java" ] || return 1
  if [ "$2" = jdk ]; then [ -x "$1/bin/javac" ] || return 1; fi
  [ "$(pb_java_major "$1/bin/java")" -ge 21 ]
}

pb_find_java() {
  local kind="${1:-jdk}" what best="" best_v=0 dir v on_path dirs=()
  if [ "$kind" = jdk ]; then what="a JDK 21 or newer"; else what="Java 21 or newer (a JDK or a JRE)"; fi
  if [ -n "${JAVA_HOME:-}" ] && pb_is_java "${JAVA_HOME%/}" "$kind"; then
    export JAVA_HOME
    return 0
  fi
  local candidates=() parent
  if [ -n "${POCKETBRIDGE_JVM_DIRS:-}" ]; then
    IFS=: read -r -a dirs <<<"$POCKETBRIDGE_JVM_DIRS"
  else
    dirs=(/usr/lib/jvm /opt/java)
    candidates=(/opt/jdk*/)
  fi
  for parent in "${dirs[@]}"; do
    candidates+=("$parent"/*/)
  done
  for dir in "${candidates[@]}"; do
    dir="${dir%/}"
    [ -x "$dir/bin/java" ] || continue
    if [ "$kind" = jdk ] && [ ! -x "$dir/bin/javac" ]; then continue; fi
    v=$(pb_java_major "$dir/bin/java")
    if [ "$v" -gt "$best_v" ]; then best="$dir"; best_v=$v; fi
  done
  if [ "$best_v" -ge 21 ]; then
    export JAVA_HOME="$best"
    return 0
  fi
  on_path=$(command -v java || true)
  if [ -n "$on_path" ]; then
    dir=$(dirname "$(dirname "$(readlink -f "$on_path")")")
    if pb_is_java "$dir" "$kind"; then
      export JAVA_HOME="$dir"
      return 0
    fi
  fi
  {
    echo "PocketBridge needs $what, and none was found."
    if [ -n "${JAVA_HOME:-}" ]; then
      v=$(pb_java_major "$JAVA_HOME/bin/java")
      if [ "$v" -ge 21 ]; then v="$v, without javac"; fi
      echo "  JAVA_HOME=$JAVA_HOME is not one (Java $v)."
    fi
    if [ -n "$on_path" ]; then
      echo "  The java on the PATH, $on_path, is Java $(pb_java_major "$on_path")."
    fi
    if [ "$best_v" -gt 0 ]; then
      echo "  The newest under ${dirs[*]} is Java $best_v ($best)."
    fi
    echo "Install one (e.g. Temurin 21 or 25) and, if it is not under /usr/lib/jvm, set JAVA_HOME to it."
  } >&2
  return 1
}
