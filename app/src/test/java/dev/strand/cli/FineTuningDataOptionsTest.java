package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FineTuningDataOptionsTest {
    @Test
    void unknownTasksAreAnErrorListingTheBuiltInOnes() {
        FineTuningDataOptions o = new FineTuningDataOptions();
        o.task = "enhancers";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.read(null));
        assertTrue(e.getMessage().contains("use promoters, promoters-2k or splice-sites"), e.getMessage());
        o.task = null;
        e = assertThrows(IllegalArgumentException.class, () -> o.read(null));
        assertTrue(e.getMessage().contains("--task promoters|promoters-2k|splice-sites"), e.getMessage());
    }

    @Test
    void theTwoKbTaskIsClassification() {
        FineTuningDataOptions o = new FineTuningDataOptions();
        o.task = "promoters-2k";
        o.regression = true;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.read(null));
        assertTrue(e.getMessage().contains("--task promoters-2k is a classification task"), e.getMessage());
    }

    @Test
    void aUriIsReadOnlyWithAnEngineThatReadsIt() {
        FineTuningDataOptions o = new FineTuningDataOptions();
        o.train = "hdfs://namenode/train.csv";
        o.test = "hdfs://namenode/test.csv";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.read(null));
        assertTrue(e.getMessage().contains("no such file: hdfs://namenode/train.csv (files on other file systems are read with --spark)"), e.getMessage());
    }
}
