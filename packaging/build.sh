#!/usr/bin/env bash
# Builds the self-contained RWKV Edge Studio app image and/or .deb with jpackage.
#
#   packaging/build.sh [app-image|deb|all]      (default: all; "deb" also builds the app image it is made from)
#
# Output: target/dist/rwkv-edge-studio/   app image: bin/rwkv-edge-studio (studio), bin/rwkv-edge (CLI),
#                                         lib/runtime (jlinked JDK 25 + JavaFX), lib/app (jars, models-sample/, recipes/)
#         target/deb/rwkv-edge-studio_<version>_amd64.deb   installs to /opt/rwkv-edge-studio
#
# Route: jlink only the JDK and JavaFX modules (JavaFX *-linux.jar on --module-path); the app and its other
# jars (ChartFX, EJML, ControlsFX, ...) stay on the class path (--input). See packaging/README.md.
# Needs: JDK 25 (JAVA_HOME or /usr/lib/jvm/*25*), Maven; for the .deb also fakeroot, dpkg-deb, objcopy
# (Debian/Ubuntu: apt-get install -y fakeroot binutils).
# Env: SAMPLE_DIR=path     bundle this sample folder instead of <repo>/models-sample (skipped if neither exists)
#      DEB_COMPRESSION=xz   smallest .deb, any dpkg, but ~4 min; default zstd (seconds; needs dpkg >= 1.21.18)
set -euo pipefail

MODE="${1:-all}"
case "$MODE" in app-image|deb|all) ;; -h|--help) sed -n '2,/^set /{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [app-image|deb|all]" >&2; exit 2 ;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$ROOT/packaging"
cd "$ROOT"

APP_NAME=rwkv-edge-studio          # launcher name, .deb package name and /opt/<APP_NAME>
CLI_NAME=rwkv-edge                 # second launcher: the command line
MAIN_CLASS=dev.rwkvedge.Main
VERSION="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
ARTIFACT="$(sed -n 's:^  <artifactId>\(.*\)</artifactId>$:\1:p' pom.xml | head -1)"
APP_VERSION="${VERSION%%-*}"       # jpackage wants digits and dots only (0.1.0-SNAPSHOT -> 0.1.0)

# ---- tools -------------------------------------------------------------------------------------------
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
find_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
    [[ -n "$c" && -x "$c/bin/jpackage" && -x "$c/bin/jlink" ]] || continue
    v="$(java_major "$c")"
    if [[ "${v%%.*}" -ge 25 ]] 2>/dev/null; then echo "$c"; return 0; fi
  done
  return 1
}
JDK="$(find_jdk)" || { echo "build.sh: need a JDK 25 with jpackage (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME="$JDK"
command -v mvn >/dev/null || { echo "build.sh: need Maven (apt-get install -y maven)" >&2; exit 1; }
if [[ "$MODE" != app-image ]]; then
  missing=()
  for t in fakeroot dpkg-deb objcopy; do command -v "$t" >/dev/null || missing+=("$t"); done
  if (( ${#missing[@]} )); then
    echo "build.sh: the .deb needs ${missing[*]}: apt-get install -y fakeroot binutils dpkg" >&2; exit 1
  fi
fi

T0=$SECONDS
step() { printf '[build.sh %4ds] %s\n' "$((SECONDS - T0))" "$*"; }

# ---- 1. jars ------------------------------------------------------------------------------------------
WORK="$ROOT/target/jpackage"
rm -rf "$WORK"; mkdir -p "$WORK/deps" "$WORK/input" "$WORK/fxmods"
step "mvn package + copy-dependencies (JDK $JDK)"
# Maven 3.8's guava warns about sun.misc.Unsafe on JDK 25; allowed quietly here
MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
mvn -B -q -Dstyle.color=never -DskipTests package dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$WORK/deps" -Dmdep.overWriteReleases=true 2>&1 | sed -e $'s/\x1b\[[0-9;]*m//g' -e '/^$/d'
MAIN_JAR="$ARTIFACT-$VERSION.jar"
cp "target/$MAIN_JAR" "$WORK/input/"
for j in "$WORK"/deps/*.jar; do
  case "$(basename "$j")" in
    javafx-*-linux.jar) cp "$j" "$WORK/fxmods/" ;;   # the real JavaFX modules, jlinked into the runtime
    javafx-*.jar) ;;                                  # unclassified javafx-*.jar are empty stubs
    *) cp "$j" "$WORK/input/" ;;                      # everything else: class path
  esac
done
ls "$WORK"/fxmods/javafx-controls-*-linux.jar >/dev/null

# the sample model goes inside the input folder, i.e. <image>/lib/app/models-sample = $APPDIR/models-sample
SAMPLE_SRC="${SAMPLE_DIR:-$ROOT/models-sample}"
if [[ -d "$SAMPLE_SRC" ]]; then
  step "bundling the sample folder $SAMPLE_SRC"
  mkdir -p "$WORK/input/models-sample"
  # the model, its vocabulary and evaluation data; the training logs and test fixtures are not needed at run time
  (cd "$SAMPLE_SRC" && tar --exclude=./training --exclude=./fixtures --exclude=.gitignore -cf - .) \
    | tar -xf - -C "$WORK/input/models-sample"
else
  step "no models-sample/ folder: the app image opens the welcome screen (set SAMPLE_DIR to bundle one)"
fi
# the shipped recipes beside the sample folder (<image>/lib/app/recipes): the studio builds recipes/edge.json in the
# background when a model opens (DefaultCompression looks for recipes/ as the sample folder's sibling)
step "bundling the recipes ($(ls "$ROOT"/recipes/*.json | xargs -n1 basename | tr '\n' ' '))"
mkdir -p "$WORK/input/recipes"
cp "$ROOT"/recipes/*.json "$WORK/input/recipes/"
[[ -f "$WORK/input/recipes/edge.json" ]] || { echo "build.sh: recipes/edge.json is missing" >&2; exit 1; }

# ---- 2. app image -------------------------------------------------------------------------------------
# jdeps --print-module-deps --ignore-missing-deps on the app and its jars: java.base, java.desktop, java.sql,
# javafx.controls, jdk.incubator.vector, jdk.management, jdk.unsupported; the rest are safety margin
# (logging, XML, JSObject for JavaFX).
MODULES=java.base,java.desktop,java.logging,java.sql,java.xml,jdk.unsupported,jdk.jsobject,jdk.management,jdk.incubator.vector,javafx.controls
JAVA_OPTIONS=(
  --add-modules=jdk.incubator.vector
  --enable-native-access=javafx.graphics,ALL-UNNAMED
  --add-exports=javafx.base/com.sun.javafx.event=ALL-UNNAMED
  --add-exports=javafx.controls/com.sun.javafx.scene.control=ALL-UNNAMED
  --add-exports=javafx.controls/com.sun.javafx.scene.control.behavior=ALL-UNNAMED
  --add-exports=javafx.graphics/com.sun.javafx.scene=ALL-UNNAMED
  --add-exports=javafx.graphics/com.sun.javafx.scene.traversal=ALL-UNNAMED
  -XX:+UseParallelGC
  -XX:MaxNewSize=128m
  '-Drwkv.sample.dir=$APPDIR/models-sample'
)
JP_JAVA_OPTS=(); for o in "${JAVA_OPTIONS[@]}"; do JP_JAVA_OPTS+=(--java-options "$o"); done

COMMON=(--name "$APP_NAME" --app-version "$APP_VERSION"
        --vendor "RWKV Edge Studio" --description "Desktop studio and command line for compressing RWKV models"
        --copyright "RWKV Edge Studio contributors")

rm -rf "$ROOT/target/dist"; mkdir -p "$ROOT/target/dist"
step "jpackage --type app-image"
"$JDK/bin/jpackage" --type app-image "${COMMON[@]}" \
  --input "$WORK/input" --main-jar "$MAIN_JAR" --main-class "$MAIN_CLASS" \
  --module-path "$WORK/fxmods" --add-modules "$MODULES" \
  --jlink-options "--strip-debug --no-man-pages --no-header-files --strip-native-commands" \
  "${JP_JAVA_OPTS[@]}" \
  --add-launcher "$CLI_NAME=$PKG/cli.properties" \
  --icon "$ROOT/assets/icon.png" \
  --dest "$ROOT/target/dist" 2>&1 | grep -v 'Warning: No JDK Modules found' || true
IMAGE="$ROOT/target/dist/$APP_NAME"
[[ -x "$IMAGE/bin/$APP_NAME" && -x "$IMAGE/bin/$CLI_NAME" ]] || { echo "build.sh: app image missing launchers" >&2; exit 1; }
step "app image: $(du -sh "$IMAGE" | cut -f1)  $IMAGE  (runtime $(du -sh "$IMAGE/lib/runtime" | cut -f1))"

# ---- 3. .deb ------------------------------------------------------------------------------------------
if [[ "$MODE" != app-image ]]; then
  rm -rf "$ROOT/target/deb"; mkdir -p "$ROOT/target/deb"
  # dpkg-deb's default xz takes about 4 minutes here (55 MB); zstd takes seconds (68 MB) and needs dpkg >= 1.21.18
  # (Debian 12, Ubuntu 18.04+) on the installing machine. DEB_COMPRESSION=xz for the smallest, most portable .deb.
  export DPKG_DEB_COMPRESSOR_TYPE="${DEB_COMPRESSION:-zstd}"
  step "jpackage --type deb (dpkg-deb compression: $DPKG_DEB_COMPRESSOR_TYPE)"
  # GTK 3 and fonts: JavaFX loads its .so files out of the jar, so jpackage cannot derive these itself
  "$JDK/bin/jpackage" --type deb "${COMMON[@]}" \
    --app-image "$IMAGE" \
    --linux-package-name "$APP_NAME" --linux-deb-maintainer "maintainers@rwkv-edge.dev" \
    --linux-package-deps "libgtk-3-0, fontconfig, fonts-dejavu-core" \
    --linux-app-category devel --linux-shortcut --resource-dir "$PKG/linux" \
    --dest "$ROOT/target/deb" 2>&1 | grep -v 'Warning: No JDK Modules found' || true
  DEB="$(ls "$ROOT"/target/deb/*.deb)"
  step ".deb: $(du -sh "$DEB" | cut -f1)  $DEB"
fi
step "done"
