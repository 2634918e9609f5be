package io.github.crosswordhelper.backend.thesaurus;

import io.github.crosswordhelper.backend.Backend;
import io.github.crosswordhelper.backend.BackendContractTest;

class ThesaurusContractTest extends BackendContractTest {
    @Override
    protected Backend createBackend() {
        return new ThesaurusBackend(false).start();
    }

    @Override
    protected String expectedName() {
        return "thesaurus";
    }
}
