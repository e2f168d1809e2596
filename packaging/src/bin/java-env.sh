# Sourced by the launchers: finds the install directory and a Java 17+ runtime.
# JAVA_HOME wins, then `java` on PATH. The version comes from the runtime's `release` file,
# so no extra JVM is started just to ask it.

spec_kitty_home_dir() {
  src="$1"
  while [ -h "$src" ]; do
    dir=$(cd -P "$(dirname "$src")" && pwd)
    src=$(readlink "$src")
    case "$src" in /*) ;; *) src="$dir/$src" ;; esac
  done
  cd -P "$(dirname "$src")/.." && pwd
}

spec_kitty_find_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA=$(command -v java)
  else
    echo "spec-kitty: Java 17 or newer is required but was not found." >&2
    echo "Install a JDK 17+ (e.g. 'apt-get install openjdk-17-jre-headless') or set JAVA_HOME." >&2
    exit 1
  fi
  real=$(readlink -f "$JAVA" 2>/dev/null || echo "$JAVA")
  release="$(dirname "$(dirname "$real")")/release"
  if [ -r "$release" ]; then
    major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    if [ -n "$major" ] && [ "$major" -lt 17 ] 2>/dev/null; then
      echo "spec-kitty: Java $major found at $JAVA, but Java 17 or newer is required." >&2
      echo "Set JAVA_HOME to a JDK 17+ installation." >&2
      exit 1
    fi
  fi
}
