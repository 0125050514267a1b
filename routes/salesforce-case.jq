# The Salesforce sink's mapping (routes/sink-salesforce.yaml): a case record in, the body of one
# Composite API call out. Edit a copy and point vep.sinks.salesforce.mapping at it; docs/salesforce.md
# says how. The language is jq (https://jqlang.org/manual/): `.caseType.name` is that field of the
# record, `//` gives a fallback, `#` starts a comment.
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
  VEP_Revision__c: .revision,
  VEP_Transcript__c: variable("transcriptText")
} | without_nulls;

# The request: the Case upserted by its external id VEP_Case_Id__c (= caseId). allOrNone: if any
# subrequest fails, none is kept.
{
  allOrNone: true,
  compositeRequest: [
    {
      method: "PATCH",
      url: "\(variable("dataPath"))/sobjects/Case/VEP_Case_Id__c/\(.caseId | @uri)",
      referenceId: "vepCase",
      body: case_fields
    }
  ]
}
