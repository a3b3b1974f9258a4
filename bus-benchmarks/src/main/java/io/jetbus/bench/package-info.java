/**
 * JMH benchmarks for Jetbus and the raw baselines they are compared with.
 */
package io.jetbus.bench;
