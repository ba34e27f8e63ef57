/etc/mysql/debian.cnf:
  file.managed:
    - makedirs: True
    - source: salt://mariadb-galera/files/debian.cnf
    - template: jinja

/etc/mysql/mariadb.conf.d/99-galera.cnf:
  file.managed:
    - makedirs: True
    - source: salt://mariadb-galera/files/galera.cnf
    - template: jinja

galera-pkg:
  pkg.installed:
    - pkgs:
      - rsync
      - galera-4
      - mariadb-server
