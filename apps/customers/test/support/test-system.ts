// The embedded system under test is shared by every service's e2e suites.
export * from '../../../../deploy/embedded/testing/embedded-test-system';
