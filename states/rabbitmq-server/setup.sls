rabbitmq setup:
  cmd.script:
    - name: salt://rabbitmq-server/files/setup.sh
    - template: jinja
    # brine lab: done once (the policy and the openstack user exist): see states/README.md
    - unless: rabbitmqctl -q list_policies --formatter json | grep -q '"name":"ha-all"' && rabbitmqctl -q list_users --formatter json | grep -q '"user":"openstack"'
