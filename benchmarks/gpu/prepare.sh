#!/usr/bin/env bash
# Packs what Strand's GPU checks need into .device/ (gitignored, about 48 MB), because the GPU
# machine has no JDK, no Maven and no network:
#   .device/jdk      a jlink'd JDK 25 runtime with the modules Strand uses
#   .device/lib      the OpenCL ICD loader (Debian ocl-icd-libopencl1), in case the machine lacks one
#   .device/jars     benchmarks.jar (Strand with every module), the JUnit console launcher and
#                    opencl-kernels' test classes
# Then run benchmarks/gpu/check.sh there with .device carried (the README's "On a GPU" section).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
die() { echo "prepare.sh: $*" >&2; exit 1; }

JUNIT_CONSOLE=org.junit.platform:junit-platform-console-standalone:1.11.4
JAVA_HOME="$(./strand java-home)" || die "no JDK 25 (./strand java-home failed)"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
command -v mvn >/dev/null || die "Maven (mvn) is not installed"

echo "prepare.sh: building Strand and opencl-kernels' tests" >&2
mvn -B -q package -DskipTests >&2
mvn -B -q test-compile -pl opencl-kernels -am >&2

rm -rf .device && mkdir -p .device/jars .device/lib
cp benchmarks/target/benchmarks.jar .device/jars/
cp -r opencl-kernels/target/test-classes .device/jars/opencl-tests
mvn -B -q dependency:copy -Dartifact="$JUNIT_CONSOLE" -DoutputDirectory=.device/jars >&2

# The modules Strand's benchmarks and tests load (JOCL and JUnit log through java.logging; JUnit
# reads the jars through jdk.zipfs).
# jdeps also names java.desktop and java.sql, for Jackson's optional java.beans/java.sql support
# and commons-math's 2-d geometry, which these runs never touch; leaving them out keeps the kit
# under the 64 MiB a device run carries.
modules=java.base,java.logging,java.management,jdk.incubator.vector,jdk.unsupported,jdk.zipfs
jlink --add-modules "$modules" --strip-java-debug-attributes --strip-native-debug-symbols=exclude-debuginfo-files \
  --no-man-pages --no-header-files --compress zip-9 --output .device/jdk
# jlink leaves libjvm.so's symbol table in (29 MB instead of 20).
if command -v strip >/dev/null 2>&1; then find .device/jdk -name '*.so' -exec strip --strip-unneeded {} +; fi
echo "prepare.sh: runtime .device/jdk with $modules" >&2

if command -v apt-get >/dev/null 2>&1; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download -qq ocl-icd-libopencl1 >/dev/null 2>&1) || die "apt-get download ocl-icd-libopencl1 failed"
  dpkg-deb -x "$tmp"/ocl-icd-libopencl1_*.deb "$tmp/x"
  cp -a "$tmp"/x/usr/lib/x86_64-linux-gnu/libOpenCL.so* .device/lib/
  rm -rf "$tmp"
else
  echo "prepare.sh: no apt-get; .device/lib has no ICD loader (the GPU machine must have libOpenCL.so.1)" >&2
fi
du -sh .device >&2
echo "prepare.sh: ready; on the GPU machine run: bash benchmarks/gpu/check.sh (carrying .device)" >&2
