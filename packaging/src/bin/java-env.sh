# Sourced by the launchers (after they find their own directory, following symlinks such as the
# Debian package's /usr/bin ones): finds a Java 17+ runtime.
# JAVA_HOME wins, then `java` on PATH. The version comes from the runtime's `release` file,
# so no extra JVM is started just to ask it. Shell built-ins only (bar one `readlink -f` when java
# comes from PATH): every forked helper costs the CLI's start-up a few milliseconds.

# Sets JAVA to a Java 17+ launcher, or exits with advice.
spec_kitty_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
    runtime="$JAVA_HOME"
  elif JAVA=$(command -v java 2>/dev/null) && [ -n "$JAVA" ]; then
    real=$(readlink -f "$JAVA" 2>/dev/null || echo "$JAVA")
    runtime="${real%/bin/java}"
  else
    echo "spec-kitty: Java 17 or newer is required but was not found." >&2
    echo "Install a JDK 17+ (e.g. 'apt-get install openjdk-17-jre-headless') or set JAVA_HOME." >&2
    exit 1
  fi
  major=""
  if [ -r "$runtime/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*) major="${line#JAVA_VERSION=\"}"; major="${major%%[!0-9]*}"; break ;;
      esac
    done < "$runtime/release"
  fi
  if [ -n "$major" ] && [ "$major" -lt 17 ] 2>/dev/null; then
    echo "spec-kitty: Java $major found at $JAVA, but Java 17 or newer is required." >&2
    echo "Set JAVA_HOME to a JDK 17+ installation." >&2
    exit 1
  fi
}
