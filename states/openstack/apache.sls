apache pkgs:
  pkg.installed:
    - pkgs:
      - apache2
      - libapache2-mod-proxy-uwsgi
      - libapache2-mod-wsgi-py3

a2enmod proxy:
  cmd.run:
    - onchanges:
      - pkg: apache pkgs

apache2:
  service.running:
    - onchanges:
      - cmd: a2enmod proxy
