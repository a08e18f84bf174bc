/*
 * The "uax_url_email" tokenizer (as in Elasticsearch's analysis-common module, default
 * settings): Lucene's UAX29URLEmailTokenizer. The security index's "email" analyzer
 * needs it.
 */
package org.policykb.es.analysis;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenizerFactory;

@NamedComponent("uax_url_email")
public class UaxUrlEmailTokenizerFactory implements TokenizerFactory {

    @Override
    public Tokenizer create() {
        return new UAX29URLEmailTokenizer();
    }
}
