/root/.openrc:
  file.managed:
    - source: salt://openstack/files/openrc
    - template: jinja
