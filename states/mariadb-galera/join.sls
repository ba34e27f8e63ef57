mariadb join:
  cmd.script:
    - name: salt://mariadb-galera/files/join.sh
    - template: jinja
    # brine lab: this node is in the primary component already (join.sh would restart it)
    - unless: mysql -N -B -e "SHOW STATUS LIKE 'wsrep_cluster_status'" | grep -qw Primary
