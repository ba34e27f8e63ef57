mariadb setup:
  cmd.script:
    - name: salt://mariadb-galera/files/setup.sh
    - template: jinja
