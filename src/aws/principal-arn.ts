// Splits an IAM/STS principal ARN (STS's answer or an author's exact arn) into the parts we check.

/** The partition and account of an IAM/STS principal ARN `arn:<p>:(iam|sts)::<account>:<resource>`. */
export function principalArnParts(arn: string): { partition: string; account: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  const [prefix, partition, service, region, account] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  if (prefix !== 'arn' || (service !== 'iam' && service !== 'sts') || region !== '' || resource === '') return undefined;
  return { partition, account };
}
