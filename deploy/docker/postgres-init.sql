-- Databases for the docker-compose stack. Runs once, on an empty data volume,
-- as the superuser created from POSTGRES_USER (rf).
-- Each bounded context owns one database; the *_test twins are what
-- integration tests use (the test harness refuses a database without "test").
CREATE DATABASE rf_inventory OWNER rf;
CREATE DATABASE rf_drift OWNER rf;
CREATE DATABASE rf_compliance OWNER rf;
CREATE DATABASE rf_remediation OWNER rf;
CREATE DATABASE rf_ledger OWNER rf;
CREATE DATABASE rf_recovery OWNER rf;
CREATE DATABASE rf_quantum OWNER rf;
CREATE DATABASE rf_gateway OWNER rf;
CREATE DATABASE rf_inventory_test OWNER rf;
CREATE DATABASE rf_drift_test OWNER rf;
CREATE DATABASE rf_compliance_test OWNER rf;
CREATE DATABASE rf_remediation_test OWNER rf;
CREATE DATABASE rf_ledger_test OWNER rf;
CREATE DATABASE rf_recovery_test OWNER rf;
CREATE DATABASE rf_quantum_test OWNER rf;
CREATE DATABASE rf_gateway_test OWNER rf;
-- Apicurio Registry SQL storage.
CREATE DATABASE rf_registry OWNER rf;
