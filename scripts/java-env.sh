# Sourced by ./run-tests and ./sgw: finds a JDK 21 or newer, or says exactly what to install.
# Sets JAVA_HOME, puts its bin first on PATH, and sets MAVEN_OPTS for the JDK it found. Maven itself comes
# from the wrapper (./mvnw, the version pinned in .mvn/wrapper/maven-wrapper.properties), fetched from Maven
# Central on first use.

sgw_java_feature() { # prints the feature version of the java at $1/bin/java, or nothing
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

sgw_find_jdk() {
  local candidate v
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    v=$(sgw_java_feature "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(sgw_java_feature "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  fi
  return 1
}

if ! SGW_JDK=$(sgw_find_jdk); then
  echo "sgw needs a JDK 21 or newer and found none (looked at \$JAVA_HOME, /usr/lib/jvm/* and javac on PATH)." >&2
  echo "Install one, e.g.: sudo apt-get install openjdk-21-jdk-headless   (or set JAVA_HOME to a JDK 21+)" >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME=$SGW_JDK
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v curl >/dev/null 2>&1 && ! command -v wget >/dev/null 2>&1; then
  echo "sgw's Maven wrapper (./mvnw) downloads Maven with curl or wget; install one, e.g.: sudo apt-get install curl" >&2
  return 1 2>/dev/null || exit 1
fi
if ! command -v unzip >/dev/null 2>&1; then
  echo "sgw's Maven wrapper (./mvnw) unpacks Maven with unzip; install it, e.g.: sudo apt-get install unzip" >&2
  return 1 2>/dev/null || exit 1
fi
# Maven's bundled Guava touches sun.misc.Unsafe, which JDK 24+ warns about at every start.
if [ "$(sgw_java_feature "$JAVA_HOME")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
