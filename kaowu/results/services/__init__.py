"""Write functions of results, one per business action (design §1): marking, scores, misconduct, computation,
publicity, review requests, retakes, the municipal upload and the score roster."""
