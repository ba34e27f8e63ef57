#!/bin/sh

systemctl stop mysql
systemctl start mysql
