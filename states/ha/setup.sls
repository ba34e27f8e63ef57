salt://ha/files/setup.sh:
  cmd.script:
    - template: jinja
    # brine lab: the configuration is committed (setup.sh's `configure primitive` would fail on existing resources)
    - unless: cibadmin --query --scope constraints | grep -q 'id="haproxy-after-vip"'
