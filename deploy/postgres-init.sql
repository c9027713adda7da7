-- The databases the stack uses besides `sandbox` (created by POSTGRES_DB).
CREATE DATABASE tracker;
CREATE DATABASE channel;
CREATE DATABASE analytics;
