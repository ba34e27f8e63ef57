{% for p in ['crmsh', 'corosync', 'cluster-glue', 'pacemaker', 'pacemaker-resource-agents', 'libqb100', 'haproxy'] %}
{{p}} pkg:
  pkg.installed:
    - name: {{p}}
{% endfor %}

/etc/corosync/authkey:
  file.managed:
    - contents_pillar: corosync-authkey
    - mode: 0440

/etc/corosync/corosync.conf:
  file.managed:
    - source: salt://ha/files/corosync.conf
    - template: jinja

/etc/haproxy/haproxy.cfg:
  file.managed:
    - source: salt://ha/files/haproxy.cfg
    - template: jinja

# currently needed in order to start haproxy on node without the VIP
net.ipv4.ip_nonlocal_bind:
  sysctl.present:
    - value: 1

corosync:
  service.running:
    - enable: true
    - watch:
      - file: /etc/corosync/authkey
      - file: /etc/corosync/corosync.conf
