#!/bin/sh

rabbitmqctl set_policy ha-all '^(?!amq\.).*' '{"ha-mode": "all"}'
rabbitmqctl change_password guest {{pillar['rabbitmq']['guest']}}
rabbitmqctl add_user openstack {{pillar['rabbitmq']['openstack']}}
rabbitmqctl set_permissions openstack ".*" ".*" ".*"
