#!/bin/sh
# Run once by the postgres image when it creates its data folder (docker/compose.yml):
# the streaming replica (postgres-replica) may connect for replication with a password.
echo 'host replication all all scram-sha-256' >> "$PGDATA/pg_hba.conf"
