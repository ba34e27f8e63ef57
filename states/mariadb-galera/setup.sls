mariadb setup:
  cmd.script:
    - name: salt://mariadb-galera/files/setup.sh
    - template: jinja
    # brine lab: the cluster runs (setup.sh would stop this node and bootstrap a second cluster)
    - unless: mysql -N -B -e "SHOW STATUS LIKE 'wsrep_cluster_status'" | grep -qw Primary
