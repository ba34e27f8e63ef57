mariadb join:
  cmd.script:
    - name: salt://mariadb-galera/files/join.sh
    - template: jinja
