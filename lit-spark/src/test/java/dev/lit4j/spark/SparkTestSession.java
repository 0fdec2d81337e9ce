package dev.lit4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark session: {@code local[2]}, no UI, bound to localhost, few shuffle partitions.
 * One session per test JVM ({@code getOrCreate}), left to end with the JVM: starting Spark costs
 * seconds, and the test classes run in one JVM.
 */
final class SparkTestSession {
  private SparkTestSession() {}

  static SparkSession get() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("lit-spark-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate();
  }
}
