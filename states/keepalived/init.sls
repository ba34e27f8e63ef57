# Keepalived holds the floating address (seeds/000, "OpenStack haute-dispo #1").
# An alternative to the pacemaker VIPs of ha.setup: apply one or the other.

# lets services bind the floating address on nodes that do not hold it
keepalived nonlocal bind:
  sysctl.present:
    - name: net.ipv4.ip_nonlocal_bind
    - value: 1

keepalived:
  pkg.installed: []
  service.running:
    - enable: True
    - require:
      - pkg: keepalived
    - watch:
      - file: /etc/keepalived/keepalived.conf

# not shipped by the package: state and priority come from the pillar, per node
/etc/keepalived/keepalived.conf:
  file.managed:
    - source: salt://keepalived/files/keepalived.conf
    - template: jinja
    - mode: '0640'
    - require:
      - pkg: keepalived
