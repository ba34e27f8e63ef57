#!/bin/sh

rabbitmqctl stop_app
rabbitmqctl reset
rabbitmqctl join_cluster rabbit@{{pillar['firstnode']}}
rabbitmqctl start_app
