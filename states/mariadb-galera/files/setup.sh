#!/bin/sh

systemctl stop mysql
galera_new_cluster
