# Sourced by ./mvnw and ./minutes: exports JAVA_HOME pointing at a JDK >= 21 (its major version in
# minutes_jdk_major).
# Looks at JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/* (newest first).
minutes_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
minutes_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" \
      "$(command -v java >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v java)")")")" \
      $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(minutes_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      minutes_jdk_major=$major
      # Maven's own Guice warns about sun.misc.Unsafe on JDK 24+; the warning is noise for our users.
      if [ "$major" -ge 24 ]; then
        case "${MAVEN_OPTS:-}" in *sun-misc-unsafe*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
      fi
      return 0
    fi
  done
  echo "minutes: no JDK >= 21 found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
  echo "minutes: install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) and set JAVA_HOME." >&2
  return 1
}
