# The Salesforce sink's mapping with the transcript in a record of its own: a VEP_Transcript__c upserted
# beside the Case by its external id VEP_Transcript_Id__c (= caseId), its text in Body__c, linked to the
# Case through the lookup Case__c (relationship Case__r) by the Case's external id. For an org that
# wants transcripts as records (reports, sharing, page layouts) rather than a field on the Case.
# To use it: vep.sinks.salesforce.mapping=classpath:routes/salesforce-case-transcript-record.jq
#
# Otherwise as routes/salesforce-case.jq: a case record in, the body of one Composite API call out.
# Edit a copy and point vep.sinks.salesforce.mapping at it; docs/salesforce.md says how.
#
# Besides the record (.), the route provides
#   variable("transcriptText")  the transcript as readable text, one line per message
#   variable("dataPath")        /services/data/v<api-version>, the start of every subrequest's URL

# Value maps (picklists): the record's outcome as the Case's Status and Reason. An outcome not listed
# here gives no value, and the field is left as it is in Salesforce.
def status: {positive: "Closed", negative: "Closed", neutral: "Closed", unresolved: "Escalated"}[. // ""];
def reason: {positive: "Resolved", negative: "Not resolved", neutral: "Answered", unresolved: "Follow-up needed"}[. // ""];

# A field the record has no value for is left out, not blanked: Salesforce keeps what the Case has.
def without_nulls: with_entries(select(.value != null));

# The Case's fields. To add one: a line `Field__c: <where in the record>,` (the field must exist in Salesforce).
def case_fields: {
  Subject: .caseType.name,
  Status: (.outcome | status),
  Reason: (.outcome | reason),
  Origin: "Chat",
  OwnerId: .assignments[-1].agent.externalIds.Salesforce,   # the last agent who had the case
  VEP_Opportunity__c: .opportunity.name,
  VEP_Solution__c: .solution.name,
  VEP_Case_Type__c: .caseType.name,
  VEP_Handle_Time_Ms__c: .handleTimeMs,
  VEP_Revision__c: .revision
} | without_nulls;

# The transcript record's fields. Case__r finds the Case by VEP_Case_Id__c: no Salesforce id needed,
# and within one allOrNone request the Case upserted just before is found.
def transcript_fields: {
  Body__c: variable("transcriptText"),
  Case__r: {VEP_Case_Id__c: .caseId}
};

# The request: the Case upserted by its external id VEP_Case_Id__c (= caseId), then its transcript.
# allOrNone: if any subrequest fails, none is kept.
{
  allOrNone: true,
  compositeRequest: [
    {
      method: "PATCH",
      url: "\(variable("dataPath"))/sobjects/Case/VEP_Case_Id__c/\(.caseId | @uri)",
      referenceId: "vepCase",
      body: case_fields
    },
    {
      method: "PATCH",
      url: "\(variable("dataPath"))/sobjects/VEP_Transcript__c/VEP_Transcript_Id__c/\(.caseId | @uri)",
      referenceId: "vepTranscript",
      body: transcript_fields
    }
  ]
}
