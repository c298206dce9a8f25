-- One database per service (runs once, when the postgres volume is first initialised).
CREATE DATABASE gateway;
CREATE DATABASE customers;
CREATE DATABASE subscriptions;
CREATE DATABASE reporting;
CREATE DATABASE notifications;
