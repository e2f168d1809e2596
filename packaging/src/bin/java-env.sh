# Sourced by the launchers (after they find their own directory, following symlinks such as the
# Debian package's /usr/bin ones): finds a Java 17+ runtime.
# JAVA_HOME wins, then `java` on PATH. The version comes from the runtime's `release` file,
# so no extra JVM is started just to ask it. Shell built-ins only (bar one `readlink -f` when java
# comes from PATH): every forked helper costs the CLI's start-up a few milliseconds.

# Sets JAVA to a Java 17+ launcher, or exits with advice; JAVA_OS, JAVA_ARCH and JAVA_LIBC to the
# runtime's OS_NAME, OS_ARCH and LIBC (empty when its release file does not say).
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
  JAVA_OS=""
  JAVA_ARCH=""
  JAVA_LIBC=""
  if [ -r "$runtime/release" ]; then
    while IFS= read -r line; do
      case "$line" in
        JAVA_VERSION=*) major="${line#JAVA_VERSION=\"}"; major="${major%%[!0-9]*}" ;;
        OS_NAME=*) JAVA_OS="${line#OS_NAME=\"}"; JAVA_OS="${JAVA_OS%\"}" ;;
        OS_ARCH=*) JAVA_ARCH="${line#OS_ARCH=\"}"; JAVA_ARCH="${JAVA_ARCH%\"}" ;;
        LIBC=*) JAVA_LIBC="${line#LIBC=\"}"; JAVA_LIBC="${JAVA_LIBC%\"}" ;;
      esac
    done < "$runtime/release"
  fi
  if [ -n "$major" ] && [ "$major" -lt 17 ] 2>/dev/null; then
    echo "spec-kitty: Java $major found at $JAVA, but Java 17 or newer is required." >&2
    echo "Set JAVA_HOME to a JDK 17+ installation." >&2
    exit 1
  fi
}

# Sets SQLITE_LIB_DIR and SQLITE_LIB_NAME to the sqlite-jdbc native library unpacked at package time
# for this runtime (lib/native/<OS_NAME>-<OS_ARCH>/), for -Dorg.sqlite.lib.path and
# -Dorg.sqlite.lib.name; both empty (the driver extracts its own copy) on any other platform, on a
# musl runtime (the library is glibc's) or when the file is missing. After spec_kitty_find_java.
spec_kitty_sqlite_native() {
  SQLITE_LIB_DIR=""
  SQLITE_LIB_NAME=""
  os="$JAVA_OS"
  arch="$JAVA_ARCH"
  if [ -z "$os" ] || [ -z "$arch" ]; then
    # A runtime whose release file does not name its platform: ask the kernel (two forks, rare).
    os=$(uname -s 2>/dev/null || true)
    arch=$(uname -m 2>/dev/null || true)
  fi
  case "$arch" in arm64) arch=aarch64 ;; amd64) arch=x86_64 ;; esac
  case "$os" in
    Linux) [ "$JAVA_LIBC" = musl ] && return 0; name=libsqlitejdbc.so ;;
    Darwin) name=libsqlitejdbc.dylib ;;
    *) return 0 ;;
  esac
  if [ -r "$APP_HOME/lib/native/$os-$arch/$name" ]; then
    SQLITE_LIB_DIR="$APP_HOME/lib/native/$os-$arch"
    SQLITE_LIB_NAME="$name"
  fi
}
