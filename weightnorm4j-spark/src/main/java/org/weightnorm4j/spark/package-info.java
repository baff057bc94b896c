/**
 * weightnorm4j on Apache Spark (docs/SCALE.md): {@link org.weightnorm4j.spark.SparkGridRunner} runs
 * an experiment grid as one Spark job, one run per task; {@link org.weightnorm4j.spark.SparkDataParallel}
 * trains one model with synchronous data-parallel workers in a barrier stage. The core finds both
 * through {@link java.util.ServiceLoader} ({@code META-INF/services}) and never depends on this module.
 */
package org.weightnorm4j.spark;
