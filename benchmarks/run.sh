#!/usr/bin/env bash
# Builds what the benchmarks need, starts their own PostgreSQL, generates the changelogs, runs Spring Boot's
# Liquibase support and Lockstep side by side and prints one table. Options go to the harness, e.g. --runs=7.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl benchmarks -am package -DskipTests
exec java -jar benchmarks/target/lockstep-benchmarks.jar harness "$@"
